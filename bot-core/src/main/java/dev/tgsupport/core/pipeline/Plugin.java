package dev.tgsupport.core.pipeline;

/**
 * Extends a pipeline: adds, replaces or removes stages, registers intent handlers, commands and listeners.
 *
 * <p>Plugins are given to {@link Pipeline.Builder#plugin} or found with {@link java.util.ServiceLoader} when
 * {@link Pipeline.Builder#discoverPlugins()} is on (list the class in
 * {@code META-INF/services/dev.tgsupport.core.pipeline.Plugin}; it needs a public no-argument constructor).
 * {@link #install} is called once, from {@link Pipeline.Builder#build()}, in registration order (discovered plugins
 * after the builder's).
 *
 * <pre>{@code
 * public final class BillingPlugin implements Plugin {
 *   public void install(PluginContext ctx) {
 *     ctx.onIntent("billing", (message, actions) -> Optional.of(Outcome.handled(message, "See /billing")));
 *     ctx.addStageBefore(Stages.KNOWLEDGE, Stage.of("vip", (message, chain) -> chain.proceed(message)));
 *   }
 * }
 * }</pre>
 */
public interface Plugin {
  /** A name for logs and errors. */
  default String name() {
    return getClass().getName();
  }

  void install(PluginContext context);
}
