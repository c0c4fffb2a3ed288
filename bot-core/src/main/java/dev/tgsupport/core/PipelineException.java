package dev.tgsupport.core;

import java.util.Objects;

/**
 * A pipeline stage broke the stage contract (returned null, called {@code proceed()} twice) or threw. The message
 * and {@link #stage()} name the stage, so a misbehaving plugin is found at once.
 */
public class PipelineException extends BotException {
  private final String stage;

  public PipelineException(String stage, String message) {
    super(message);
    this.stage = Objects.requireNonNull(stage, "stage");
  }

  public PipelineException(String stage, String message, Throwable cause) {
    super(message, cause);
    this.stage = Objects.requireNonNull(stage, "stage");
  }

  /** The stable name of the stage that failed. */
  public String stage() {
    return stage;
  }
}
