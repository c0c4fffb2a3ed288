package dev.tgsupport.sample;

/** A knowledge file could not be used; the message reads {@code "<file>: line <n>: <problem>"}. */
final class KnowledgeFileException extends Exception {
  private final String file;
  private final int line;
  private final String problem;

  /**
   * @param line the 1-based line the problem is on; 0 when it concerns the whole file
   */
  KnowledgeFileException(String file, int line, String problem) {
    super(file + (line > 0 ? ": line " + line : "") + ": " + problem, null, false, false);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  String file() {
    return file;
  }

  int line() {
    return line;
  }

  String problem() {
    return problem;
  }
}
