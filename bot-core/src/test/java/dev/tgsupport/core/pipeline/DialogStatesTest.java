package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryDialogStates;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.Intent;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DialogStatesTest {
  private static final Command ASK =
      Command.of("feedback", "send us feedback", (ctx, args, actions) -> {
        IncomingMessage m = ctx.message();
        actions.dialogStates().put(m.chat().id(), m.user().id(), "feedback", Duration.ofMinutes(10));
        return Outcome.handled(ctx, "What would you like to tell us?");
      });

  /** Answers the next message of a user the bot is waiting for, whatever its intent. */
  private static final IntentHandler.Factory WAITING = intent -> Optional.of((ctx, actions) -> {
    IncomingMessage m = ctx.message();
    return actions.dialogStates().get(m.chat().id(), m.user().id()).map(state -> {
      actions.dialogStates().clear(m.chat().id(), m.user().id());
      return Outcome.handled(ctx, "Thanks for your " + state + "!");
    });
  });

  private static Pipeline.Builder builder() {
    return Pipeline.builder()
        .intentClassifier(text -> new Intent("other", 0.9))
        .addCommand(ASK)
        .addIntentHandlerFactory(WAITING);
  }

  @Test
  void aCommandSetsAStateThatAnIntentHandlerReadsOnTheNextMessage() {
    Pipeline pipeline = builder().build();

    assertThat(pipeline.process(Messages.text("/feedback")).reply()).isEqualTo("What would you like to tell us?");
    assertThat(pipeline.process(Messages.text("The export button is hard to find")).reply())
        .isEqualTo("Thanks for your feedback!");
    assertThat(pipeline.process(Messages.text("The export button is hard to find")).kind())
        .as("the state was cleared").isNotEqualTo(Outcome.Kind.HANDLED);
  }

  @Test
  void theGivenDialogStatesAreTheOnesHandlersUse() {
    InMemoryDialogStates shared = InMemoryDialogStates.create();
    Pipeline instanceA = builder().dialogStates(shared).build();
    Pipeline instanceB = builder().dialogStates(shared).build();

    instanceA.process(Messages.text("/feedback"));

    assertThat(shared.get(Messages.ALICE_CHAT.id(), Messages.ALICE.id())).hasValue("feedback");
    assertThat(instanceB.process(Messages.text("Dark mode please")).reply()).isEqualTo("Thanks for your feedback!");
  }

  @Test
  void eachPipelineHasItsOwnDefaultStates() {
    Pipeline instanceA = builder().build();
    Pipeline instanceB = builder().build();

    instanceA.process(Messages.text("/feedback"));

    assertThat(instanceB.process(Messages.text("Dark mode please")).reply()).isNotEqualTo("Thanks for your feedback!");
  }
}
