package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.PipelineException;
import java.time.Duration;
import java.util.List;

/** An index walk over the stage list; one instance per stage call, so a second proceed() is detectable. */
final class RealChain implements Stage.Chain {
  /** State shared by the chains of one message: the last context that had the message recorded. */
  static final class Run {
    MessageContext recorded;
  }

  private final List<Stage> stages;
  private final int index;
  private final PipelineListener listener;
  private final Run run;
  private int calls;

  RealChain(List<Stage> stages, int index, PipelineListener listener, Run run) {
    this.stages = stages;
    this.index = index;
    this.listener = listener;
    this.run = run;
  }

  private String caller() {
    return index == 0 ? "pipeline" : stages.get(index - 1).name();
  }

  @Override
  public Outcome proceed(MessageContext context) {
    if (context == null) {
      throw new PipelineException(caller(), "stage '" + caller() + "' called proceed(null)");
    }
    if (++calls > 1) {
      throw new PipelineException(caller(), "stage '" + caller() + "' called proceed() twice");
    }
    if (context.isRecorded()) {
      run.recorded = context;
    }
    if (index >= stages.size()) {
      return Outcome.silent(Outcome.Kind.UNHANDLED, context);
    }
    Stage stage = stages.get(index);
    String name = stage.name();
    RealChain next = new RealChain(stages, index + 1, listener, run);
    listener.stageStarted(context, name);
    long started = System.nanoTime();
    Outcome outcome;
    try {
      outcome = stage.handle(context, next);
    } catch (PipelineException e) {
      // Already names the stage that failed further down (or this stage's own contract breach).
      listener.stageFailed(context, name, e, since(started));
      throw e;
    } catch (RuntimeException e) {
      PipelineException failure = new PipelineException(name, "stage '" + name + "' failed: " + describe(e), e);
      listener.stageFailed(context, name, failure, since(started));
      throw failure;
    }
    if (outcome == null) {
      PipelineException failure = new PipelineException(name, "stage '" + name + "' returned null");
      listener.stageFailed(context, name, failure, since(started));
      throw failure;
    }
    if (outcome.context().isRecorded()) {
      run.recorded = outcome.context();
    }
    listener.stageFinished(context, name, outcome, since(started));
    return outcome;
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + m;
  }
}
