package dev.tgsupport.telegram.fake;

import java.time.Instant;

/**
 * A message the bot created through the fake ({@code sendMessage}, media sends, {@code forwardMessage},
 * {@code copyMessage}). Edits and deletions do not change it; see {@link FakeTelegramServer#messageText(long, int)}.
 *
 * @param chatId the chat it went to
 * @param messageId the id the fake assigned, increasing per chat
 * @param method the method that created it
 * @param text the text after entity parsing, or the caption of a media message; empty when there is none
 * @param messageThreadId the forum topic, or {@code null}
 * @param replyToMessageId the message it replies to, or {@code null}
 * @param sentAt when the fake accepted it
 */
public record SentMessage(
    long chatId,
    int messageId,
    String method,
    String text,
    Integer messageThreadId,
    Integer replyToMessageId,
    Instant sentAt) {}
