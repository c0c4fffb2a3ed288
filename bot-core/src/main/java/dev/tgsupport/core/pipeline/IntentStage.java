package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.PipelineException;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.model.NoiseVerdict;
import dev.tgsupport.core.port.IntentClassifier;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

final class IntentStage implements Stage {
  private final IntentClassifier classifier;
  private final List<Command> commands;
  private final List<IntentHandler.Factory> handlerFactories;
  private final BotActions actions;
  private final String botUsername;

  IntentStage(
      IntentClassifier classifier,
      List<Command> commands,
      List<IntentHandler.Factory> handlerFactories,
      BotActions actions,
      String botUsername) {
    this.classifier = classifier;
    this.commands = List.copyOf(commands);
    this.handlerFactories = List.copyOf(handlerFactories);
    this.actions = actions;
    this.botUsername = botUsername == null ? null : botUsername.toLowerCase(Locale.ROOT);
  }

  @Override
  public String name() {
    return Stages.INTENT;
  }

  @Override
  public Outcome handle(MessageContext context, Chain chain) {
    if (context.message().isCommand()) {
      return runCommand(context);
    }
    String text = context.message().text();
    if (classifier == null || text.isBlank()) {
      return chain.proceed(context);
    }
    Intent intent = classifier.classify(text);
    if (intent == null) {
      throw new IllegalStateException("intent classifier " + classifier.getClass().getName() + " returned null");
    }
    MessageContext classified = context.withIntent(intent);
    for (IntentHandler.Factory factory : handlerFactories) {
      Optional<IntentHandler> handler = factory.create(intent);
      if (handler.isPresent()) {
        Optional<Outcome> outcome = handler.get().handle(classified, actions);
        if (outcome == null) {
          throw new PipelineException(name(), "intent handler for '" + intent.name() + "' returned null");
        }
        // The first factory that claims the intent decides; a refusal falls through to the knowledge stage.
        return outcome.isPresent() ? outcome.get() : chain.proceed(classified);
      }
    }
    return chain.proceed(classified);
  }

  private Outcome runCommand(MessageContext context) {
    String text = context.message().text().strip();
    int space = indexOfWhitespace(text);
    String head = space < 0 ? text.substring(1) : text.substring(1, space);
    String arguments = space < 0 ? "" : text.substring(space).strip();
    int at = head.indexOf('@');
    String name = (at < 0 ? head : head.substring(0, at)).toLowerCase(Locale.ROOT);
    if (at >= 0 && botUsername != null && !head.substring(at + 1).toLowerCase(Locale.ROOT).equals(botUsername)) {
      // "/start@OtherBot" in a group is for another bot: keep it, answer nothing.
      return Outcome.noise(context.withNoise(NoiseVerdict.noise("command_for_other_bot")));
    }
    MessageContext withIntent = context.withIntent(new Intent("/" + name, 1.0));
    for (Command command : commands) {
      if (command.name().equals(name)) {
        Outcome outcome = command.execute(withIntent, arguments, actions);
        if (outcome == null) {
          throw new PipelineException(name(), "command '/" + name + "' returned null");
        }
        return outcome;
      }
    }
    return Outcome.handled(
        withIntent, actions.replies().unknownCommand(context.language(), safeName(name), commands));
  }

  private static String safeName(String name) {
    return name.length() > 32 ? name.substring(0, 32) + "…" : name;
  }

  private static int indexOfWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
