package dev.tgsupport.core.pipeline;

import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.port.KnowledgeRetriever;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class KnowledgeStage implements Stage {
  /** Set when the retriever's backing service was down and the message went on to a ticket instead. */
  static final ContextKey<Boolean> UNAVAILABLE = ContextKey.of("knowledge.unavailable", Boolean.class);

  private static final Logger log = LoggerFactory.getLogger(KnowledgeStage.class);
  private final KnowledgeRetriever retriever;
  private final double threshold;
  private final int limit;

  KnowledgeStage(KnowledgeRetriever retriever, double threshold, int limit) {
    this.retriever = retriever;
    this.threshold = threshold;
    this.limit = limit;
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
    if (!validated.isEmpty() && validated.get(0).score() >= threshold) {
      KnowledgeHit best = validated.get(0);
      return Outcome.reply(Outcome.Kind.ANSWERED, withHits.withAnswer(best), best.entry().answer());
    }
    return chain.proceed(withHits);
  }
}
