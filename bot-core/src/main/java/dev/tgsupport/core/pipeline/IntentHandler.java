package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.Intent;
import java.util.Optional;

/**
 * Answers messages of one intent instead of the knowledge stage, for example {@code onIntent("billing", …)}.
 *
 * <p>Called by the {@code intent} stage on the processing thread, with the context carrying the classified
 * {@link MessageContext#intent()} and its confidence. Return an outcome (usually {@link Outcome#handled}) to answer,
 * or empty to refuse (say, when the confidence is too low for you): the message then goes on to the knowledge stage.
 * Must be thread-safe.
 */
@FunctionalInterface
public interface IntentHandler {
  Optional<Outcome> handle(MessageContext context, BotActions actions);

  /**
   * Chooses a handler for an intent, or returns empty when it does not handle that intent. The first factory that
   * returns a handler wins; factories registered by the application are asked before the built-in ones.
   */
  @FunctionalInterface
  interface Factory {
    Optional<IntentHandler> create(Intent intent);

    /** A factory for exactly one intent name. */
    static Factory forIntent(String intentName, IntentHandler handler) {
      if (intentName == null || intentName.isBlank()) {
        throw new IllegalArgumentException("intent name must not be blank, was " + intentName);
      }
      java.util.Objects.requireNonNull(handler, "handler");
      return intent -> intent.name().equals(intentName) ? Optional.of(handler) : Optional.empty();
    }
  }
}
