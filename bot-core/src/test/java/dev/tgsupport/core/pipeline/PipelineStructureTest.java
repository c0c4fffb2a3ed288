package dev.tgsupport.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineStructureTest {
  private static Stage passThrough(String name) {
    return Stage.of(name, (ctx, chain) -> chain.proceed(ctx));
  }

  @Test
  void builtInStagesRunInTheDocumentedOrder() {
    Pipeline p = Pipeline.builder().build();
    assertThat(p.stageNames()).containsExactly("record", "noise", "followup", "intent", "knowledge", "ticket");
    assertThat(Stages.BUILT_IN).isEqualTo(p.stageNames());
  }

  @Test
  void stagesAreInsertedBeforeAndAfterNamedStages() {
    Pipeline p =
        Pipeline.builder()
            .addStageBefore(Stages.KNOWLEDGE, passThrough("vip"))
            .addStageAfter(Stages.RECORD, passThrough("audit"))
            .addStageAfter(Stages.TICKET, passThrough("last"))
            .addStageBefore(Stages.RECORD, passThrough("first"))
            .build();
    assertThat(p.stageNames())
        .containsExactly("first", "record", "audit", "noise", "followup", "intent", "vip", "knowledge", "ticket",
            "last");
  }

  @Test
  void aStageCanBeReplacedOrRemoved() {
    Pipeline p =
        Pipeline.builder()
            .replaceStage(Stages.KNOWLEDGE, passThrough("faq"))
            .removeStage(Stages.INTENT)
            .build();
    assertThat(p.stageNames()).containsExactly("record", "noise", "followup", "faq", "ticket");
  }

  @Test
  void changesApplyInRegistrationOrderSoLaterOnesSeeEarlierOnes() {
    Pipeline p =
        Pipeline.builder()
            .addStageAfter(Stages.NOISE, passThrough("spam"))
            .addStageAfter("spam", passThrough("after-spam"))
            .build();
    assertThat(p.stageNames()).containsSubsequence("noise", "spam", "after-spam", "intent");
  }

  @Test
  void anUnknownStageNameFailsTheBuildListingTheStagesThereAre() {
    assertThatThrownBy(() -> Pipeline.builder().addStageBefore("nope", passThrough("x")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot insert stage 'x' before 'nope': no such stage;"
                + " stages are [record, noise, followup, intent, knowledge, ticket]");
    assertThatThrownBy(() -> Pipeline.builder().removeStage("nope").build())
        .hasMessage(
            "cannot remove 'nope': no such stage; stages are [record, noise, followup, intent, knowledge, ticket]");
    assertThatThrownBy(() -> Pipeline.builder().replaceStage("nope", passThrough("y")).build())
        .hasMessageStartingWith("cannot replace 'nope' with stage 'y': no such stage");
  }

  @Test
  void twoStagesWithOneNameFailTheBuild() {
    assertThatThrownBy(() -> Pipeline.builder().addStageAfter(Stages.NOISE, passThrough("ticket")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two stages are named 'ticket'; stage names must be unique");
  }

  @Test
  void pluginsFromTheBuilderInstallInOrderWithTheirStagesAndHandlers() {
    List<String> installed = new ArrayList<>();
    Plugin a = ctx -> {
      installed.add("a");
      ctx.addStageBefore(Stages.KNOWLEDGE, passThrough("a-stage"));
    };
    Plugin b = ctx -> {
      installed.add("b");
      ctx.addStageAfter("a-stage", passThrough("b-stage"));
    };
    Pipeline p = Pipeline.builder().plugin(a).plugin(b).build();
    assertThat(installed).containsExactly("a", "b");
    assertThat(p.stageNames()).containsSubsequence("intent", "a-stage", "b-stage", "knowledge");
  }

  @Test
  void pluginsAreDiscoveredWithServiceLoaderOnlyWhenAskedTo() {
    assertThat(Pipeline.builder().build().stageNames()).doesNotContain(DiscoveredTestPlugin.STAGE);
    Pipeline p = Pipeline.builder().discoverPlugins().build();
    assertThat(p.stageNames()).containsSubsequence(Stages.NOISE, DiscoveredTestPlugin.STAGE, Stages.INTENT);
    assertThat(p.commands()).extracting(Command::name).contains("discovered");
  }

  @Test
  void aPluginThatFailsToInstallIsNamed() {
    Plugin broken = new Plugin() {
      @Override
      public String name() {
        return "broken-plugin";
      }

      @Override
      public void install(PluginContext context) {
        throw new IllegalStateException("missing config");
      }
    };
    assertThatThrownBy(() -> Pipeline.builder().plugin(broken).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("plugin 'broken-plugin' failed to install: missing config");
  }

  @Test
  void ticketCommandCannotBeReplacedButStartHelpAndStatusCan() {
    Command mine = Command.of("ticket", "mine", (ctx, args, actions) -> Outcome.handled(ctx, "x"));
    assertThatThrownBy(() -> Pipeline.builder().addCommand(mine).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command /ticket is registered twice (/ticket is built in and cannot be replaced)");

    Command start = Command.of("start", "custom start", (ctx, args, actions) -> Outcome.handled(ctx, "custom"));
    Pipeline p = Pipeline.builder().addCommand(start).build();
    assertThat(p.commands()).extracting(Command::name).containsExactly("ticket", "start", "help", "status");
    assertThat(p.commands().get(1)).isSameAs(start);
  }

  @Test
  void commandNamesAreValidated() {
    assertThatThrownBy(() -> Command.of("bad name", "d", (c, a, x) -> Outcome.handled(c, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command name must be 1-32 of a-z, 0-9 and _, was \"bad name\"");
    assertThat(Command.of("/Orders", "d", (c, a, x) -> Outcome.handled(c, "x")).name()).isEqualTo("orders");
  }

  @Test
  void builderRejectsAThresholdOutsideTheUnitInterval() {
    assertThatThrownBy(() -> Pipeline.builder().knowledgeThreshold(0))
        .hasMessage("knowledgeThreshold must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> Pipeline.builder().knowledgeThreshold(1.5))
        .hasMessage("knowledgeThreshold must be in (0, 1], was 1.5");
  }
}
