package dev.tgsupport.telegram;

/**
 * Who the bot is, from {@code getMe}.
 *
 * @param canReadAllGroupMessages false when privacy mode is on: in groups the bot then sees only commands, replies
 *     to its messages and mentions, unless it is an admin
 */
public record BotIdentity(long id, String username, String firstName, boolean canReadAllGroupMessages) {}
