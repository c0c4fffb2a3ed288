package dev.tgsupport.knowledge.io;

import java.util.Comparator;
import java.util.List;

/**
 * What {@link KnowledgeImport#parse} read from a file: the rows to import, in file order, and the rows it skipped.
 *
 * @param rows the well-formed rows
 * @param problems the skipped rows, by line
 */
public record ParsedFile(List<ImportRow> rows, List<ImportProblem> problems) {
  public ParsedFile {
    rows = List.copyOf(rows);
    problems = problems.stream().sorted(Comparator.comparingInt(ImportProblem::line)).toList();
  }
}
