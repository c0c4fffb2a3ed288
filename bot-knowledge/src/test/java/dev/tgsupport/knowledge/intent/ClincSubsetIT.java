package dev.tgsupport.knowledge.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Trains on 30 intents of CLINC150's shared training file (with all of its out-of-scope examples) and judges the
 * same intents of its validation file. The full evaluation is {@code tgsupport eval intents}; this keeps the
 * end-to-end path with the real embedding model honest in the build, in well under a minute.
 */
class ClincSubsetIT {
  private static final int INTENTS = 30;

  private static List<LabelledText> read(Path file, Set<String> keep) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<LabelledText> out = new ArrayList<>();
    root.fields().forEachRemaining(member -> member.getValue().forEach(pair -> {
      String label = pair.get(1).asText();
      if (keep.contains(label) || Intent.OUT_OF_SCOPE.equals(label)) {
        out.add(new LabelledText(pair.get(0).asText(), label));
      }
    }));
    return out;
  }

  @Test
  void thirtyIntentsMeetTheAccuracyAndOutOfScopeFloors() throws IOException {
    Path data = Path.of(System.getProperty("basedir", ".")).resolve("../../shared/data/clinc150").normalize();
    assumeTrue(Files.isRegularFile(data.resolve("train.json")), "CLINC150 is not at " + data + "; skipping");
    Set<String> all = new TreeSet<>();
    new ObjectMapper().readTree(data.resolve("train.json").toFile()).get("train")
        .forEach(pair -> all.add(pair.get(1).asText()));
    // Every fifth intent in alphabetical order: a spread over the ten domains rather than one of them.
    Set<String> keep = new TreeSet<>();
    int i = 0;
    for (String intent : all) {
      if (i++ % 5 == 0 && keep.size() < INTENTS) {
        keep.add(intent);
      }
    }
    List<LabelledText> train = read(data.resolve("train.json"), keep);
    List<LabelledText> val = read(data.resolve("val.json"), keep);
    assertThat(keep).hasSize(INTENTS);

    List<Intent> got;
    try (LocalEmbedder embedder = LocalEmbedder.create()) {
      LearnedIntentClassifier classifier = IntentTrainer.builder(embedder).build().train(train);
      got = classifier.classifyAll(val.stream().map(LabelledText::text).toList());
    }
    int inScope = 0;
    int right = 0;
    int oos = 0;
    int caught = 0;
    for (int k = 0; k < val.size(); k++) {
      if (val.get(k).isOutOfScope()) {
        oos++;
        caught += got.get(k).isOutOfScope() ? 1 : 0;
      } else {
        inScope++;
        right += got.get(k).name().equals(val.get(k).label()) ? 1 : 0;
      }
    }
    double accuracy = right / (double) inScope;
    double recall = caught / (double) oos;
    String summary = "in-scope accuracy " + accuracy + " on " + inScope + ", oos recall " + recall + " on " + oos;
    System.out.println("ClincSubsetIT: " + summary);
    assertThat(accuracy).as(summary).isGreaterThanOrEqualTo(0.95);
    assertThat(recall).as(summary).isGreaterThanOrEqualTo(0.70);
  }
}
