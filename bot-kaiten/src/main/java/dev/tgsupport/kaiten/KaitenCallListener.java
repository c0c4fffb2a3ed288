package dev.tgsupport.kaiten;

/**
 * Told about every call the Kaiten client makes, so that an application can time them (Micrometer in
 * {@code bot-metrics}, a log, a test) without {@code bot-kaiten} depending on any of that. Set it with
 * {@link KaitenBridge.Builder#callListener(KaitenCallListener)}.
 *
 * <p><b>One event per logical call.</b> A GET that Kaiten answers with 5xx or 429, or that fails on the network, is
 * retried inside the client; the listener hears of it once, when the call returns or gives up, with
 * {@link KaitenCall#attempts()} saying how many requests it took and {@link KaitenCall#duration()} covering the
 * waits in between. That is what a caller experiences, and it keeps counts per operation comparable whatever the
 * retry settings. A card created with tags is one {@code create_card} call and one {@code add_tag} per tag.
 *
 * <p><b>Threads.</b> Called on the thread that made the call (the bridge's outbox, poll and webhook threads, or the
 * caller of {@link KaitenBridge#check()}), after the call and before its result or exception reaches the caller. It
 * must be fast and thread-safe, and should not throw: an exception from it is logged and ignored.
 */
@FunctionalInterface
public interface KaitenCallListener {

  /** A listener that does nothing: the default. */
  KaitenCallListener NONE = call -> {};

  void onCall(KaitenCall call);
}
