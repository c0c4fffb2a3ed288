package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.port.Transactions;
import java.time.Clock;

/**
 * What a {@link Plugin} may change while it is installed. Stage positions refer to stage names; an unknown name
 * fails {@link Pipeline.Builder#build()} with an error listing the stages there are.
 */
public interface PluginContext {
  PluginContext addStageBefore(String existingStage, Stage stage);

  PluginContext addStageAfter(String existingStage, Stage stage);

  /** Puts {@code replacement} where the stage named {@code existingStage} was. */
  PluginContext replaceStage(String existingStage, Stage replacement);

  PluginContext removeStage(String existingStage);

  /** Answers messages classified as {@code intent} with {@code handler} instead of the knowledge stage. */
  PluginContext onIntent(String intent, IntentHandler handler);

  PluginContext addIntentHandlerFactory(IntentHandler.Factory factory);

  PluginContext addCommand(Command command);

  PluginContext addListener(PipelineListener listener);

  /** The pipeline's storage, for stages that keep data of their own. */
  Transactions transactions();

  Clock clock();
}
