package dev.tgsupport.telegram;

import java.util.List;

/**
 * Where receivers (the long-polling loop and the webhook) hand updates. The sink makes each update durable (its
 * message recorded, or the update deliberately skipped and, when unknown, kept raw) before it returns, and processes
 * it later; a receiver acknowledges to Telegram only what the sink accepted.
 */
interface UpdateSink {

  /**
   * Accepts updates in order.
   *
   * @return how many of them, from the start, are durable; the rest must be redelivered. Fewer than all only when
   *     storage failed (a retriable error), and the receiver should back off before asking again.
   */
  int accept(List<RawUpdates.Raw> updates);
}
