package dev.tgsupport.sample;

import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.knowledge.intent.LabelledText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code bench search --texts}: real texts, read from files, split into indexed entries and held-out queries, and
 * embedded with the bundled model, so the index is measured on the vectors it will hold in production.
 */
final class BenchSearchTexts {
  /** Texts per {@link Embedder#embedAll} call: large enough to keep every model thread busy. */
  static final int EMBED_BATCH = 256;

  private BenchSearchTexts() {}

  /**
   * The distinct texts of {@code files}, in order of first appearance.
   *
   * @param read how many texts the files held, duplicates included
   */
  record Texts(List<String> distinct, int read) {}

  /** The texts indexed and the texts asked, disjoint. */
  record Split(List<String> entries, List<String> queries) {}

  /**
   * Reads every file: a JSON object in the CLINC150 format (its first non-blank character is <code>{</code>) gives
   * the text of every {@code [text, label]} pair; any other file gives its non-blank lines, trimmed.
   *
   * @throws TgSupportCli.CliFailure naming the file that cannot be read or is malformed
   */
  static Texts read(List<Path> files) {
    Set<String> distinct = new LinkedHashSet<>();
    int read = 0;
    for (Path file : files) {
      List<String> texts = isJson(file) ? IntentEval.read(file).stream().map(LabelledText::text).toList()
          : lines(file);
      if (texts.isEmpty()) {
        throw new TgSupportCli.CliFailure(file + " holds no text");
      }
      read += texts.size();
      distinct.addAll(texts);
    }
    return new Texts(List.copyOf(distinct), read);
  }

  /**
   * Holds out {@code queries} of {@code texts}, drawn with {@code seed}; the entries are the others, in their
   * order.
   */
  static Split split(List<String> texts, int queries, long seed) {
    if (queries + BenchSearch.TOP > texts.size()) {
      throw new UsageFailure("--queries must leave at least " + BenchSearch.TOP + " of the " + texts.size()
          + " distinct texts to index, was " + queries);
    }
    int[] order = new int[texts.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // A partial Fisher-Yates shuffle: the first `queries` places are a uniform sample.
    SplittableRandom random = new SplittableRandom(seed);
    boolean[] heldOut = new boolean[texts.size()];
    List<String> asked = new ArrayList<>(queries);
    for (int i = 0; i < queries; i++) {
      int j = i + random.nextInt(order.length - i);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
      heldOut[order[i]] = true;
      asked.add(texts.get(order[i]));
    }
    List<String> indexed = new ArrayList<>(texts.size() - queries);
    for (int i = 0; i < texts.size(); i++) {
      if (!heldOut[i]) {
        indexed.add(texts.get(i));
      }
    }
    return new Split(List.copyOf(indexed), List.copyOf(asked));
  }

  /** Embeds {@code texts} in batches of {@link #EMBED_BATCH}, in order. */
  static float[][] embed(Embedder model, List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += EMBED_BATCH) {
      List<float[]> vectors = model.embedAll(texts.subList(from, Math.min(texts.size(), from + EMBED_BATCH)));
      for (int i = 0; i < vectors.size(); i++) {
        out[from + i] = vectors.get(i);
      }
    }
    return out;
  }

  /** Embeds the split with {@code model} and says on {@code progress} how long it took. */
  static BenchSearch.Workload workload(Split split, Embedder model, PrintWriter progress) {
    int n = split.entries().size() + split.queries().size();
    long started = System.nanoTime();
    float[][] entries = embed(model, split.entries());
    float[][] queries = embed(model, split.queries());
    double seconds = (System.nanoTime() - started) / 1e9;
    progress.println(String.format(Locale.ROOT, "bench: embedded %d texts in %.1f s (%.0f texts/s)", n, seconds,
        n / Math.max(seconds, 1e-9)));
    progress.flush();
    // Warm-up searches need no held-out text: indexed ones exercise the same graph walk.
    float[][] warmup = new float[BenchSearch.SDK_WARMUP][];
    for (int i = 0; i < warmup.length; i++) {
      warmup[i] = entries[i % entries.length];
    }
    return new BenchSearch.Workload(entries, warmup, queries, model.dimension());
  }

  private static boolean isJson(Path file) {
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int c;
      do {
        c = reader.read();
      } while (c != -1 && Character.isWhitespace(c));
      return c == '{';
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  private static List<String> lines(Path file) {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw cannotRead(file, e);
    }
    return out;
  }

  private static TgSupportCli.CliFailure cannotRead(Path file, Exception e) {
    String why = e instanceof NoSuchFileException ? "no such file"
        : e instanceof MalformedInputException || e.getCause() instanceof MalformedInputException ? "not UTF-8 text"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    return new TgSupportCli.CliFailure("cannot read " + file + ": " + why);
  }
}
