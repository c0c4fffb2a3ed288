package dev.tgsupport.telegram;

import java.time.Duration;

/**
 * What the adapter's reply sender did since it started; counters only grow.
 *
 * @param sent messages (and message parts) Telegram took
 * @param http429 429 answers from Telegram (each one paused its chat, or the bot, for {@code retry_after})
 * @param failed sends given up: refused for good, or out of attempts or time
 * @param waited total time sends spent waiting for permits and pauses
 * @param pausedChats chats paused by a 429 right now
 * @param waiting sends waiting for a permit or a pause right now: the sender's queue depth
 */
public record SenderStats(long sent, long http429, long failed, Duration waited, int pausedChats, int waiting) {}
