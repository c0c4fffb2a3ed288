package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.KnowledgeRetriever;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers from the knowledge base when the best validated hit reaches the answer threshold; with a rephrase threshold,
 * a best hit between the two asks the user to rephrase (once per {@link #CLARIFY_WINDOW}), and anything lower goes on
 * to the ticket stage.
 */
final class KnowledgeStage implements Stage {
  /** Set when the retriever's backing service was down and the message went on to a ticket instead. */
  static final ContextKey<Boolean> UNAVAILABLE = ContextKey.of("knowledge.unavailable", Boolean.class);

  /** Set when the user was asked to rephrase a moment ago and this unclear message went on to a ticket instead. */
  static final ContextKey<Boolean> CLARIFIED_BEFORE = ContextKey.of("knowledge.clarifiedBefore", Boolean.class);

  /** The dialog state that remembers "asked to rephrase". */
  static final String CLARIFY_STATE = "knowledge.clarify";

  /** How long a second unclear question counts as the answer to "please rephrase" (and becomes a ticket). */
  static final Duration CLARIFY_WINDOW = Duration.ofMinutes(5);

  /** How many close questions a clarification names. */
  static final int CLARIFY_SUGGESTIONS = 3;

  private static final Logger log = LoggerFactory.getLogger(KnowledgeStage.class);
  private final KnowledgeRetriever retriever;
  private final double threshold;
  /** NaN when clarifying is off. */
  private final double rephraseThreshold;
  private final int limit;
  private final BotActions actions;

  KnowledgeStage(KnowledgeRetriever retriever, double threshold, double rephraseThreshold, int limit,
      BotActions actions) {
    this.retriever = retriever;
    this.threshold = threshold;
    this.rephraseThreshold = rephraseThreshold;
    this.limit = limit;
    this.actions = actions;
  }

  @Override
  public String name() {
    return Stages.KNOWLEDGE;
  }

  @Override
  public Outcome handle(MessageContext context, Chain chain) {
    String text = context.message().text();
    if (text.isBlank()) {
      return chain.proceed(context);
    }
    List<KnowledgeHit> hits;
    try {
      hits = retriever.retrieve(text, limit);
    } catch (KnowledgeRetriever.UnavailableException e) {
      log.warn("knowledge lookup unavailable for message {} in chat {}; escalating to a ticket: {}",
          context.message().telegramMessageId(), context.message().chat().id(), e.getMessage());
      return chain.proceed(context.withAttribute(UNAVAILABLE, Boolean.TRUE));
    }
    // Only validated entries may answer users, whatever the retriever returned.
    List<KnowledgeHit> validated = new ArrayList<>(hits.size());
    for (KnowledgeHit h : hits) {
      if (h.entry().isValidated()) {
        validated.add(h);
      }
    }
    MessageContext withHits = context.withHits(validated);
    double best = validated.isEmpty() ? 0.0 : validated.get(0).score();
    if (!validated.isEmpty() && best >= threshold) {
      KnowledgeHit answer = validated.get(0);
      forgetClarification(context);
      return Outcome.reply(Outcome.Kind.ANSWERED, withHits.withAnswer(answer), answer.entry().answer());
    }
    if (Double.isNaN(rephraseThreshold) || validated.isEmpty() || best < rephraseThreshold) {
      return chain.proceed(withHits);
    }
    return clarifyOnce(withHits, validated, chain);
  }

  private Outcome clarifyOnce(MessageContext context, List<KnowledgeHit> validated, Chain chain) {
    DialogStates states = actions.dialogStates();
    long chatId = context.message().chat().id();
    long userId = context.message().user().id();
    String state = states.get(chatId, userId).orElse(null);
    if (CLARIFY_STATE.equals(state)) {
      // Asked a moment ago and still unclear: a person takes over rather than the bot asking in circles.
      states.clear(chatId, userId);
      return chain.proceed(context.withAttribute(CLARIFIED_BEFORE, Boolean.TRUE));
    }
    if (state == null) {
      // Another feature's state (a plugin waiting for an answer) is left alone: it expires by itself.
      states.put(chatId, userId, CLARIFY_STATE, CLARIFY_WINDOW);
    }
    List<KnowledgeHit> closest = new ArrayList<>(CLARIFY_SUGGESTIONS);
    for (KnowledgeHit h : validated) {
      if (closest.size() < CLARIFY_SUGGESTIONS && h.score() >= rephraseThreshold) {
        closest.add(h);
      }
    }
    return Outcome.reply(Outcome.Kind.CLARIFY, context,
        actions.replies().clarify(context.language(), List.copyOf(closest)));
  }

  private void forgetClarification(MessageContext context) {
    if (Double.isNaN(rephraseThreshold)) {
      return;
    }
    DialogStates states = actions.dialogStates();
    long chatId = context.message().chat().id();
    long userId = context.message().user().id();
    if (states.get(chatId, userId).filter(CLARIFY_STATE::equals).isPresent()) {
      states.clear(chatId, userId);
    }
  }
}
