/**
 * The Kaiten ticket bridge: support questions become Kaiten cards, and staff replies and resolutions come back to
 * the chat. The public surface is the configuration, {@link dev.tgsupport.kaiten.KaitenConfig}; the REST client,
 * its rate limiter, DTOs and error mapping are package-private.
 *
 * <p>Everything is non-null unless documented otherwise; absent results are {@link java.util.Optional}.
 */
package dev.tgsupport.kaiten;
