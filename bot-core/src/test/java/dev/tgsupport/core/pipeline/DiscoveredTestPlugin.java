package dev.tgsupport.core.pipeline;

/** Listed in META-INF/services so ServiceLoader discovery is tested for real. */
public final class DiscoveredTestPlugin implements Plugin {
  static final String STAGE = "discovered-stage";

  @Override
  public void install(PluginContext context) {
    context.addStageAfter(Stages.NOISE, Stage.of(STAGE, (ctx, chain) -> chain.proceed(ctx)));
    context.addCommand(
        Command.of("discovered", "a discovered command", (ctx, args, actions) -> Outcome.handled(ctx, "found")));
  }
}
