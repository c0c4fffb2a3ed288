package dev.tgsupport.knowledge.intent;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.StorageUnavailableException;
import dev.tgsupport.core.port.Embedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The saved form of a {@link LearnedIntentClassifier}: a versioned binary file (big-endian, {@link DataOutputStream}).
 *
 * <pre>
 * int magic "TGSI", int version (1), UTF embedding model name, int dimension,
 * int buckets, int min n, int max n, float embedding weight, float lexical weight,
 * int classes, classes × UTF label, int oos class (-1: none), double temperature, double threshold,
 * classes × float bias, dimension × classes × float dense weights,
 * int non-zero lexical rows, each: int bucket, classes × float weights,
 * int magic again (a truncated file fails here)
 * </pre>
 *
 * Lexical rows that training never touched are all zero and are left out, so a model of a few intents stays small.
 */
final class ModelFile {
  private static final int MAGIC = 0x54475349;
  static final int VERSION = 1;

  private ModelFile() {}

  static void write(LearnedIntentClassifier c, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        writeTo(c, out);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot write the intent model to " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The move succeeded or the write failed already; a stray temporary file is not worth a second error.
        }
      }
    }
  }

  private static void writeTo(LearnedIntentClassifier c, DataOutputStream out) throws IOException {
    Featurizer f = c.featurizer();
    SoftmaxModel m = c.model();
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeUTF(c.embedder().modelName());
    out.writeInt(f.dimension());
    out.writeInt(f.lexical().buckets());
    out.writeInt(f.lexical().minN());
    out.writeInt(f.lexical().maxN());
    out.writeFloat(f.embeddingWeight());
    out.writeFloat(f.lexicalWeight());
    out.writeInt(c.labels().size());
    for (String label : c.labels()) {
      out.writeUTF(label);
    }
    out.writeInt(c.oosClass());
    out.writeDouble(c.calibration().temperature());
    out.writeDouble(c.calibration().threshold());
    int k = m.classes();
    float[] w = m.weights();
    for (float b : m.bias()) {
      out.writeFloat(b);
    }
    for (int i = 0; i < m.dense() * k; i++) {
      out.writeFloat(w[i]);
    }
    List<Integer> rows = new ArrayList<>();
    for (int bucket = 0; bucket < m.buckets(); bucket++) {
      int from = (m.dense() + bucket) * k;
      for (int i = from; i < from + k; i++) {
        if (w[i] != 0) {
          rows.add(bucket);
          break;
        }
      }
    }
    out.writeInt(rows.size());
    for (int bucket : rows) {
      out.writeInt(bucket);
      int from = (m.dense() + bucket) * k;
      for (int i = from; i < from + k; i++) {
        out.writeFloat(w[i]);
      }
    }
    out.writeInt(MAGIC);
  }

  static LearnedIntentClassifier read(Path file, Embedder embedder) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      return readFrom(file, in, embedder);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("intent model file " + file + " does not exist");
    } catch (EOFException e) {
      throw bad(file, "is truncated");
    } catch (IOException e) {
      throw new StorageUnavailableException("cannot read the intent model " + file + ": " + e, e);
    }
  }

  private static LearnedIntentClassifier readFrom(Path file, DataInputStream in, Embedder embedder)
      throws IOException {
    int magic = in.readInt();
    if (magic != MAGIC) {
      throw bad(file, "is not a tgsupport intent model (it does not start with \"TGSI\")");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw bad(file, "has format version " + version + "; this build reads version " + VERSION);
    }
    String modelName = in.readUTF();
    int dimension = in.readInt();
    if (!modelName.equals(embedder.modelName()) || dimension != embedder.dimension()) {
      throw bad(file, "was trained with the embedding model \"" + modelName + "\" (" + dimension
          + " dimensions), not with \"" + embedder.modelName() + "\" (" + embedder.dimension() + " dimensions)");
    }
    int buckets = in.readInt();
    int minN = in.readInt();
    int maxN = in.readInt();
    float embeddingWeight = in.readFloat();
    float lexicalWeight = in.readFloat();
    int classes = in.readInt();
    if (Integer.bitCount(buckets) != 1 || buckets > 1 << 22 || minN < 1 || maxN < minN || maxN > 16
        || classes < 2 || classes > 100_000) {
      throw bad(file, "is corrupt (buckets " + buckets + ", n-grams " + minN + ".." + maxN + ", classes " + classes
          + ")");
    }
    List<String> labels = new ArrayList<>(classes);
    for (int i = 0; i < classes; i++) {
      labels.add(in.readUTF());
    }
    int oosClass = in.readInt();
    double temperature = in.readDouble();
    double threshold = in.readDouble();
    if (oosClass < -1 || oosClass >= classes || !(temperature > 0) || !(threshold >= 0 && threshold <= 1)) {
      throw bad(file, "is corrupt (oos class " + oosClass + ", temperature " + temperature + ", threshold "
          + threshold + ")");
    }
    float[] bias = new float[classes];
    for (int i = 0; i < classes; i++) {
      bias[i] = in.readFloat();
    }
    float[] w = new float[(dimension + buckets) * classes];
    for (int i = 0; i < dimension * classes; i++) {
      w[i] = in.readFloat();
    }
    int rows = in.readInt();
    if (rows < 0 || rows > buckets) {
      throw bad(file, "is corrupt (" + rows + " lexical rows of " + buckets + ")");
    }
    for (int r = 0; r < rows; r++) {
      int bucket = in.readInt();
      if (bucket < 0 || bucket >= buckets) {
        throw bad(file, "is corrupt (lexical row " + bucket + " of " + buckets + ")");
      }
      int from = (dimension + bucket) * classes;
      for (int i = from; i < from + classes; i++) {
        w[i] = in.readFloat();
      }
    }
    if (in.readInt() != MAGIC) {
      throw bad(file, "is corrupt (no end marker)");
    }
    Featurizer featurizer =
        new Featurizer(dimension, new LexicalFeatures(buckets, minN, maxN), embeddingWeight, lexicalWeight);
    return new LearnedIntentClassifier(embedder, featurizer, List.copyOf(labels), oosClass,
        new SoftmaxModel(classes, dimension, buckets, w, bias), new Calibration(temperature, threshold));
  }

  private static InvalidInputException bad(Path file, String problem) {
    return new InvalidInputException("file", file + " " + problem);
  }
}
