/**
 * The Kaiten ticket bridge: support questions become Kaiten cards, and staff replies and resolutions come back to
 * the chat. The public surface is small: {@link dev.tgsupport.kaiten.KaitenBridge} (the entry: outbox worker,
 * poller, webhook handler, health check), {@link dev.tgsupport.kaiten.KaitenConfig},
 * {@link dev.tgsupport.kaiten.KaitenTicketTracker} (the {@code TicketTracker} port on Kaiten), the
 * {@link dev.tgsupport.kaiten.KaitenCheck} report, and {@link dev.tgsupport.kaiten.KaitenCallListener} with its
 * {@link dev.tgsupport.kaiten.KaitenCall} events (every API call, for metrics). The REST client, its rate limiter,
 * DTOs, error mapping, the outbox worker, the sync and the webhook handler are package-private.
 *
 * <p>Everything is non-null unless documented otherwise; absent results are {@link java.util.Optional}.
 */
package dev.tgsupport.kaiten;
