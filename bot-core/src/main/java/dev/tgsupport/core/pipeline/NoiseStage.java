package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.NoiseVerdict;
import dev.tgsupport.core.port.NoiseFilter;

final class NoiseStage implements Stage {
  private final NoiseFilter filter;

  NoiseStage(NoiseFilter filter) {
    this.filter = filter;
  }

  @Override
  public String name() {
    return Stages.NOISE;
  }

  @Override
  public Outcome handle(MessageContext context, Chain chain) {
    if (context.message().isCommand()) {
      return chain.proceed(context.withNoise(NoiseVerdict.clean()));
    }
    NoiseVerdict verdict = filter.check(context.message());
    if (verdict == null) {
      throw new IllegalStateException("noise filter " + filter.getClass().getName() + " returned null");
    }
    MessageContext next = context.withNoise(verdict);
    return verdict.noise() ? Outcome.noise(next) : chain.proceed(next);
  }
}
