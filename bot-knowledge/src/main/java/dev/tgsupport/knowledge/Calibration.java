package dev.tgsupport.knowledge;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

import dev.tgsupport.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what the lexical and the vector side say about a candidate into the probability that it answers the query,
 * with a small logistic model, and holds the two thresholds the knowledge stage applies to that probability.
 *
 * <p>The features, in {@link #FEATURES} order: the intercept; the lexical score; the vector cosine when the embedder
 * understands the query's language, and separately when it does not (so an English-only model's cosine for a
 * Russian query carries only the weight it earned); the lexical score again when the entry is first on the lexical
 * side; the cosine again when it is first on the vector side (understood languages only); and the lower of the two
 * when both sides put it in their top three (agreement). Rank features carry a score because being first among weak
 * matches of a small knowledge base proves nothing.
 *
 * <p>{@link #defaults()} was fitted with {@link #fit} on {@code examples/knowledge/train-queries.csv} over
 * {@code examples/knowledge/kb.csv} with the bundled MiniLM embedder and the TF-IDF lexical side; {@link
 * #bm25Defaults()} and {@link #postgresDefaults()} the same way with the BM25 and the PostgreSQL full-text lexical
 * sides, whose scores sit on other scales (see {@link #defaults(String)}); the evaluation queries were never used.
 * Refit
 * for another embedder or a very different knowledge base ({@code tgsupport eval knowledge --train FILE} prints the
 * coefficients). Immutable and thread-safe.
 *
 * @param coefficients one per feature of {@link #FEATURES}
 * @param answerThreshold the confidence from which the bot answers; in (0, 1]
 * @param rephraseThreshold the confidence from which, below the answer threshold, the bot asks to rephrase; in
 *     (0, answerThreshold)
 */
public record Calibration(List<Double> coefficients, double answerThreshold, double rephraseThreshold) {
  /** The names of the features, in the order of {@link #coefficients}. */
  public static final List<String> FEATURES = List.of(
      "intercept", "lexical", "cosine_understood", "cosine_other", "lexical_first", "vector_first", "agreement");

  /** The precision the answer threshold of {@link #fit} aims at on the training queries. */
  public static final double TARGET_PRECISION = 0.9;

  /** The lexical side {@link #defaults()} was fitted with: bot-core's {@code LexicalKnowledgeRetriever}. */
  public static final String TFIDF = "tfidf";
  /** The lexical side {@link #bm25Defaults()} was fitted with: bot-core's {@code Bm25KnowledgeRetriever}. */
  public static final String BM25 = "bm25";

  /**
   * The lexical side {@link #postgresDefaults()} was fitted with: bot-storage-mybatis's PostgreSQL full-text
   * retriever ({@code MyBatisStorage.knowledgeRetriever()}).
   */
  public static final String POSTGRES = "postgres";

  private static final Calibration DEFAULTS = new Calibration(
      List.of(-3.372, 2.922, 0.885, 1.551, 3.257, 2.142, 0.687), 0.5, 0.22);
  private static final Calibration BM25_DEFAULTS = new Calibration(
      List.of(-3.464, 2.349, 0.984, 1.502, 3.602, 2.523, 0.484), 0.5, 0.28);
  private static final Calibration POSTGRES_DEFAULTS = new Calibration(
      List.of(-3.305, 2.417, 1.023, 1.439, 3.070, 2.579, 0.503), 0.5, 0.31);

  public Calibration {
    requireNonNull(coefficients, "coefficients");
    check(coefficients.size() == FEATURES.size(), "coefficients", "must have " + FEATURES.size()
        + " values (" + String.join(", ", FEATURES) + ")", coefficients.size() + " values");
    for (int i = 0; i < coefficients.size(); i++) {
      Double c = coefficients.get(i);
      check(c != null && Double.isFinite(c), "coefficients[" + i + "]", "must be a finite number", c);
    }
    coefficients = List.copyOf(coefficients);
    check(answerThreshold > 0 && answerThreshold <= 1, "answerThreshold", "must be in (0, 1]", answerThreshold);
    check(rephraseThreshold > 0 && rephraseThreshold < answerThreshold, "rephraseThreshold",
        "must be in (0, answerThreshold " + answerThreshold + ")", rephraseThreshold);
  }

  /**
   * The calibration fitted on the shipped training queries for the bundled MiniLM embedder with the TF-IDF lexical
   * side ({@code LexicalKnowledgeRetriever}, the hybrid retriever's default).
   */
  public static Calibration defaults() {
    return DEFAULTS;
  }

  /**
   * The calibration fitted the same way as {@link #defaults()} but with {@code Bm25KnowledgeRetriever} as the
   * lexical side, whose scores sit on another scale: use it with BM25, and only with BM25.
   */
  public static Calibration bm25Defaults() {
    return BM25_DEFAULTS;
  }

  /**
   * The calibration fitted the same way as {@link #defaults()} but with PostgreSQL full-text search
   * ({@code MyBatisStorage.knowledgeRetriever()}) as the lexical side. The hybrid retriever cannot tell that
   * retriever from others: give it this one explicitly with {@link HybridKnowledgeRetriever.Builder#calibration}.
   */
  public static Calibration postgresDefaults() {
    return POSTGRES_DEFAULTS;
  }

  /**
   * The shipped calibration for a lexical side: {@value #TFIDF}, {@value #BM25} or {@value #POSTGRES}.
   *
   * @throws InvalidInputException naming {@code lexical} for any other name
   */
  public static Calibration defaults(String lexical) {
    requireNonNull(lexical, "lexical");
    return switch (lexical) {
      case TFIDF -> DEFAULTS;
      case BM25 -> BM25_DEFAULTS;
      case POSTGRES -> POSTGRES_DEFAULTS;
      default -> throw new InvalidInputException("lexical", "must be " + TFIDF + ", " + BM25 + " or " + POSTGRES
          + ", was '" + lexical + "'");
    };
  }

  /**
   * A labelled query for {@link #fit}.
   *
   * @param query what a user asks
   * @param expectedQuestion the question of the entry that answers it, exactly as stored; null or blank when the
   *     knowledge base has no answer
   */
  public record Example(String query, String expectedQuestion) {
    public Example {
      InvalidInputException.requireNonBlank(query, "query");
      expectedQuestion = expectedQuestion == null || expectedQuestion.isBlank() ? null : expectedQuestion.strip();
    }

    public boolean answerable() {
      return expectedQuestion != null;
    }
  }

  /**
   * Fits a calibration on labelled queries, deterministically: each query's top {@value #TRAINING_DEPTH} candidates
   * from {@code retriever} (with its own entries and index) become examples, right when the candidate's question is
   * the expected one; the coefficients come from an L2-regularised logistic regression. The answer threshold is the
   * lowest confidence at which the top answers on these queries are right {@link #TARGET_PRECISION} of the time
   * (at least 0.5); the rephrase threshold the lowest at which, below the answer threshold, the right entry is among
   * the three shown at least half of the time and at most a tenth of the unanswerable queries are asked to rephrase
   * (they need a person, not a question back).
   *
   * @throws InvalidInputException when {@code examples} has no right or no wrong candidate to learn from
   */
  public static Calibration fit(HybridKnowledgeRetriever retriever, List<Example> examples) {
    requireNonNull(retriever, "retriever");
    requireNonNull(examples, "examples");
    List<List<Candidate>> perQuery = new ArrayList<>(examples.size());
    List<Logistic.Example> training = new ArrayList<>();
    for (Example e : examples) {
      List<Candidate> cs = retriever.candidates(e.query());
      List<Candidate> top = cs.subList(0, Math.min(TRAINING_DEPTH, cs.size()));
      perQuery.add(top);
      for (Candidate c : top) {
        training.add(new Logistic.Example(c.features(), isRight(c, e)));
      }
    }
    double[] w;
    try {
      w = Logistic.fit(training, FEATURES.size(), REGULARISATION);
    } catch (IllegalArgumentException ex) {
      throw new InvalidInputException("examples", ex.getMessage());
    }
    List<Double> coefficients = new ArrayList<>(w.length);
    for (double v : w) {
      coefficients.add(round(v));
    }
    double[] wRounded = coefficients.stream().mapToDouble(Double::doubleValue).toArray();
    double answer = answerThreshold(perQuery, examples, wRounded);
    double rephrase = rephraseThreshold(perQuery, examples, wRounded, answer);
    return new Calibration(coefficients, answer, rephrase);
  }

  /** The confidence of {@code c}. */
  double confidence(Candidate c) {
    double[] x = c.features();
    double z = 0;
    for (int i = 0; i < x.length; i++) {
      z += coefficients.get(i) * x[i];
    }
    return Logistic.sigmoid(z);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Calibration{");
    for (int i = 0; i < FEATURES.size(); i++) {
      b.append(FEATURES.get(i)).append('=').append(String.format(Locale.ROOT, "%.3f", coefficients.get(i)))
          .append(", ");
    }
    return b.append(String.format(Locale.ROOT, "answerThreshold=%.2f, rephraseThreshold=%.2f}", answerThreshold,
        rephraseThreshold)).toString();
  }

  private static final int TRAINING_DEPTH = 3;
  private static final double REGULARISATION = 1.0;
  private static final int SHOWN = 3;
  /** The share of unanswerable training queries that may get "did you mean" rather than a ticket. */
  private static final double MAX_UNANSWERABLE_ASKED = 0.1;

  private static boolean isRight(Candidate c, Example e) {
    return e.answerable() && c.entry().question().strip().equals(e.expectedQuestion());
  }

  private static double score(double[] w, Candidate c) {
    return Logistic.predict(w, c.features());
  }

  private static double answerThreshold(List<List<Candidate>> perQuery, List<Example> examples, double[] w) {
    for (int step = 50; step <= 95; step++) {
      double t = step / 100.0;
      int answered = 0;
      int right = 0;
      for (int q = 0; q < examples.size(); q++) {
        List<Candidate> cs = perQuery.get(q);
        if (!cs.isEmpty() && score(w, cs.get(0)) >= t) {
          answered++;
          right += isRight(cs.get(0), examples.get(q)) ? 1 : 0;
        }
      }
      if (answered > 0 && right >= TARGET_PRECISION * answered) {
        return t;
      }
    }
    return 0.95;
  }

  private static double rephraseThreshold(
      List<List<Candidate>> perQuery, List<Example> examples, double[] w, double answer) {
    for (int step = 5; step < Math.round(answer * 100); step++) {
      double t = step / 100.0;
      int asked = 0;
      int shown = 0;
      int unanswerable = 0;
      int unanswerableAsked = 0;
      for (int q = 0; q < examples.size(); q++) {
        List<Candidate> cs = perQuery.get(q);
        double best = cs.isEmpty() ? 0 : score(w, cs.get(0));
        unanswerable += examples.get(q).answerable() ? 0 : 1;
        if (best >= t && best < answer) {
          asked++;
          unanswerableAsked += examples.get(q).answerable() ? 0 : 1;
          for (int i = 0; i < Math.min(SHOWN, cs.size()); i++) {
            if (score(w, cs.get(i)) >= t && isRight(cs.get(i), examples.get(q))) {
              shown++;
              break;
            }
          }
        }
      }
      if (asked == 0 || shown * 2 >= asked && unanswerableAsked <= MAX_UNANSWERABLE_ASKED * unanswerable) {
        return t;
      }
    }
    return Math.max(0.01, round(answer / 2));
  }

  private static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
