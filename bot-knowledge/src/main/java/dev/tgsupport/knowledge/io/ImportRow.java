package dev.tgsupport.knowledge.io;

import java.util.List;

/**
 * One well-formed entry of an import file, already checked (see {@link KnowledgeImport} for the rules).
 *
 * @param line the 1-based line the entry starts on, for messages
 * @param question the question, stripped
 * @param answer the answer, stripped, line ends as LF
 * @param tags the tags, stripped and without duplicates; null when the file does not give tags for this entry
 *     (an existing entry then keeps its own)
 * @param language "ru", "en", …; null when the file does not say (an existing entry keeps its own, a new one gets
 *     the detected language)
 */
public record ImportRow(int line, String question, String answer, List<String> tags, String language) {
  public ImportRow {
    tags = tags == null ? null : List.copyOf(tags);
  }
}
