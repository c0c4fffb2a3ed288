package dev.tgsupport.knowledge.io;

/**
 * A row of an import file that was not imported, and why.
 *
 * @param line the 1-based line the row starts on
 * @param reason what is wrong, one line, e.g. {@code missing answer}
 */
public record ImportProblem(int line, String reason) {
  @Override
  public String toString() {
    return line + ": " + reason;
  }
}
