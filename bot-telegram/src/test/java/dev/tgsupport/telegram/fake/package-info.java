/**
 * A loopback fake of the Telegram Bot API for tests: {@link dev.tgsupport.telegram.fake.FakeTelegramServer} serves
 * {@code /bot<token>/<method>} over real HTTP with Telegram's envelopes, validation, long polling, flood control,
 * webhook delivery and scripted faults, and {@link dev.tgsupport.telegram.fake.UpdateSamples} builds realistic update
 * JSON. Published in this module's test-jar so other modules' tests can reuse it.
 *
 * <p>Everything is non-null unless documented otherwise; absent results are {@link java.util.Optional}.
 */
package dev.tgsupport.telegram.fake;
