package dev.tgsupport.knowledge.io;

import java.util.Comparator;
import java.util.List;

/**
 * The outcome of {@link KnowledgeImport#apply}.
 *
 * @param imported rows stored as new entries
 * @param updated rows that changed an existing entry (its answer, tags or language, or with {@code validated}
 *     its status)
 * @param skipped rows identical to an existing entry: nothing to do
 * @param failed rows not imported, whether the file or the storage refused them; each is in {@code problems}
 * @param problems why each failed row failed, by line
 */
public record ImportSummary(int imported, int updated, int skipped, int failed, List<ImportProblem> problems) {
  public ImportSummary {
    problems = problems.stream().sorted(Comparator.comparingInt(ImportProblem::line)).toList();
  }

  /** {@code imported: 3, updated: 1, skipped: 5, failed: 2}. */
  @Override
  public String toString() {
    return "imported: " + imported + ", updated: " + updated + ", skipped: " + skipped + ", failed: " + failed;
  }
}
