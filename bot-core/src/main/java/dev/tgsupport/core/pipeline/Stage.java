package dev.tgsupport.core.pipeline;

import java.util.Objects;

/**
 * One step of the pipeline, in the manner of an OkHttp interceptor: it may act, enrich the context, stop the
 * pipeline by returning an {@link Outcome}, or pass the (possibly changed) context on with
 * {@link Chain#proceed(MessageContext)} and return what the rest of the pipeline returned.
 *
 * <p>Contract, enforced by the pipeline with errors that name the stage: {@code handle} never returns null and
 * calls {@code proceed} at most once. A stage that throws fails the message; once the message is recorded the user
 * gets a short apology and the message stays stored.
 *
 * <p>{@code handle} is called on the thread that called {@link Pipeline#process}, concurrently for different
 * messages: stages must be thread-safe. Stateless stages can be singletons.
 *
 * <pre>{@code
 * Stage profanity = Stage.of("profanity", (ctx, chain) ->
 *     ctx.message().text().contains("badword")
 *         ? Outcome.noise(ctx.withNoise(NoiseVerdict.noise("profanity")))
 *         : chain.proceed(ctx));
 * }</pre>
 */
public interface Stage {
  /** A stable, unique name; other plugins refer to the stage by it. */
  String name();

  Outcome handle(MessageContext context, Chain chain);

  /** The rest of the pipeline, as seen from one stage. */
  interface Chain {
    /**
     * Runs the following stages with {@code context} and returns their outcome. Call it at most once. At the end of
     * the pipeline it returns {@link Outcome.Kind#UNHANDLED}.
     */
    Outcome proceed(MessageContext context);
  }

  /** The body of a stage, for {@link #of}. */
  @FunctionalInterface
  interface Handler {
    Outcome handle(MessageContext context, Chain chain);
  }

  /** A stage from a name and a lambda. */
  static Stage of(String name, Handler handler) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
    if (name.isBlank()) {
      throw new IllegalArgumentException("stage name must not be blank");
    }
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Outcome handle(MessageContext context, Chain chain) {
        return handler.handle(context, chain);
      }

      @Override
      public String toString() {
        return "Stage[" + name + "]";
      }
    };
  }
}
