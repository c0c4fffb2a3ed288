package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import java.util.List;

/**
 * A knowledge entry before storage gives it an id.
 *
 * @param question the question as users would ask it
 * @param answer the answer sent to users
 * @param tags free-form labels; never null, copied
 * @param source where it came from
 * @param language "ru", "en", …; nullable when unknown
 */
public record KnowledgeDraft(String question, String answer, List<String> tags, KnowledgeSource source, String language) {
  public KnowledgeDraft {
    requireNonBlank(question, "knowledge.question");
    requireNonBlank(answer, "knowledge.answer");
    tags = Tags.copy(tags, "knowledge.tags");
    requireNonNull(source, "knowledge.source");
  }

  public static KnowledgeDraft of(String question, String answer) {
    return new KnowledgeDraft(question, answer, List.of(), KnowledgeSource.MANUAL, null);
  }
}
