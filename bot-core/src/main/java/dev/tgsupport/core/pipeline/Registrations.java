package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.port.Transactions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the builder and the plugins registered, applied in registration order at build time. */
final class Registrations {
  final List<StageChange> stageChanges = new ArrayList<>();
  final List<IntentHandler.Factory> intentFactories = new ArrayList<>();
  final List<Command> commands = new ArrayList<>();
  final List<PipelineListener> listeners = new ArrayList<>();

  Registrations copy() {
    Registrations r = new Registrations();
    r.stageChanges.addAll(stageChanges);
    r.intentFactories.addAll(intentFactories);
    r.commands.addAll(commands);
    r.listeners.addAll(listeners);
    return r;
  }

  enum Op {
    BEFORE,
    AFTER,
    REPLACE,
    REMOVE
  }

  record StageChange(Op op, String target, Stage stage) {
    void applyTo(List<Stage> stages) {
      int at = -1;
      for (int i = 0; i < stages.size(); i++) {
        if (stages.get(i).name().equals(target)) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        List<String> names = new ArrayList<>();
        for (Stage s : stages) {
          names.add(s.name());
        }
        String what =
            switch (op) {
              case BEFORE -> "insert stage '" + stage.name() + "' before '" + target + "'";
              case AFTER -> "insert stage '" + stage.name() + "' after '" + target + "'";
              case REPLACE -> "replace '" + target + "' with stage '" + stage.name() + "'";
              case REMOVE -> "remove '" + target + "'";
            };
        throw new IllegalArgumentException("cannot " + what + ": no such stage; stages are " + names);
      }
      switch (op) {
        case BEFORE -> stages.add(at, stage);
        case AFTER -> stages.add(at + 1, stage);
        case REPLACE -> stages.set(at, stage);
        case REMOVE -> stages.remove(at);
      }
    }
  }

  private static String requireName(String existingStage) {
    if (existingStage == null || existingStage.isBlank()) {
      throw new IllegalArgumentException("existing stage name must not be blank, was " + existingStage);
    }
    return existingStage;
  }

  private static Stage requireStage(Stage stage) {
    Objects.requireNonNull(stage, "stage");
    if (stage.name() == null || stage.name().isBlank()) {
      throw new IllegalArgumentException("stage " + stage + " has a blank name");
    }
    return stage;
  }

  void addStageBefore(String existing, Stage stage) {
    stageChanges.add(new StageChange(Op.BEFORE, requireName(existing), requireStage(stage)));
  }

  void addStageAfter(String existing, Stage stage) {
    stageChanges.add(new StageChange(Op.AFTER, requireName(existing), requireStage(stage)));
  }

  void replaceStage(String existing, Stage stage) {
    stageChanges.add(new StageChange(Op.REPLACE, requireName(existing), requireStage(stage)));
  }

  void removeStage(String existing) {
    stageChanges.add(new StageChange(Op.REMOVE, requireName(existing), null));
  }

  void onIntent(String intent, IntentHandler handler) {
    intentFactories.add(IntentHandler.Factory.forIntent(intent, handler));
  }

  void addIntentHandlerFactory(IntentHandler.Factory factory) {
    intentFactories.add(Objects.requireNonNull(factory, "factory"));
  }

  void addCommand(Command command) {
    Objects.requireNonNull(command, "command");
    Command.checkName(command.name());
    commands.add(command);
  }

  void addListener(PipelineListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  PluginContext contextFor(Transactions transactions, Clock clock) {
    Registrations self = this;
    return new PluginContext() {
      @Override
      public PluginContext addStageBefore(String existingStage, Stage stage) {
        self.addStageBefore(existingStage, stage);
        return this;
      }

      @Override
      public PluginContext addStageAfter(String existingStage, Stage stage) {
        self.addStageAfter(existingStage, stage);
        return this;
      }

      @Override
      public PluginContext replaceStage(String existingStage, Stage replacement) {
        self.replaceStage(existingStage, replacement);
        return this;
      }

      @Override
      public PluginContext removeStage(String existingStage) {
        self.removeStage(existingStage);
        return this;
      }

      @Override
      public PluginContext onIntent(String intent, IntentHandler handler) {
        self.onIntent(intent, handler);
        return this;
      }

      @Override
      public PluginContext addIntentHandlerFactory(IntentHandler.Factory factory) {
        self.addIntentHandlerFactory(factory);
        return this;
      }

      @Override
      public PluginContext addCommand(Command command) {
        self.addCommand(command);
        return this;
      }

      @Override
      public PluginContext addListener(PipelineListener listener) {
        self.addListener(listener);
        return this;
      }

      @Override
      public Transactions transactions() {
        return transactions;
      }

      @Override
      public Clock clock() {
        return clock;
      }
    };
  }
}
