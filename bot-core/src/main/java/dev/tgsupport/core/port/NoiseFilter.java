package dev.tgsupport.core.port;

import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.NoiseVerdict;

/**
 * Decides whether a message is noise (greetings, thanks, stickers, "+1", flood, spam) that is stored and marked but
 * never answered. Called once per message, from any thread; implementations are thread-safe and may keep
 * per-user state (flood counters).
 */
public interface NoiseFilter {
  NoiseVerdict check(IncomingMessage message);
}
