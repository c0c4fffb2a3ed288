package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * A stored question and its answer.
 *
 * @param id storage id, positive
 * @param question the question
 * @param answer the answer
 * @param tags labels, never null
 * @param source where it came from
 * @param status draft, validated or archived; only validated entries answer users
 * @param language nullable
 * @param validatedBy who validated it; nullable
 * @param validatedAt when; nullable
 * @param createdAt when it was stored
 */
public record KnowledgeEntry(
    long id,
    String question,
    String answer,
    List<String> tags,
    KnowledgeSource source,
    KnowledgeStatus status,
    String language,
    String validatedBy,
    Instant validatedAt,
    Instant createdAt) {

  public KnowledgeEntry {
    check(id > 0, "knowledge.id", "must be > 0", id);
    requireNonBlank(question, "knowledge.question");
    requireNonBlank(answer, "knowledge.answer");
    tags = Tags.copy(tags, "knowledge.tags");
    requireNonNull(source, "knowledge.source");
    requireNonNull(status, "knowledge.status");
    requireNonNull(createdAt, "knowledge.createdAt");
  }

  public boolean isValidated() {
    return status == KnowledgeStatus.VALIDATED;
  }
}
