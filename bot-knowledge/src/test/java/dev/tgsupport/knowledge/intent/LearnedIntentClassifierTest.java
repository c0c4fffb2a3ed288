package dev.tgsupport.knowledge.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trained classifier on handmade English and Russian support questions, with the bundled embedding model. */
class LearnedIntentClassifierTest {
  private static LocalEmbedder embedder;
  private static LearnedIntentClassifier classifier;

  static Map<String, List<String>> examples() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("billing", List.of("How much does the Pro plan cost?", "Why was I charged twice this month?",
        "I need a refund for my subscription", "What is the price of the premium plan",
        "Сколько стоит тариф Про?", "Почему с меня дважды списали деньги?", "Верните деньги за подписку",
        "Какая цена у премиум тарифа"));
    m.put("password", List.of("I forgot my password", "How do I reset my password?",
        "I can't log in to my account", "Change my login password please", "Я забыл пароль",
        "Как сбросить пароль?", "Не могу войти в аккаунт", "Поменяйте пароль от входа"));
    m.put("delivery", List.of("Where is my order?", "When will my package arrive?", "Track my delivery",
        "The courier has not come yet", "Где мой заказ?", "Когда приедет посылка?", "Отследить доставку",
        "Курьер до сих пор не приехал"));
    m.put("oos", List.of("What's the weather tomorrow", "Tell me a joke", "Who won the football match",
        "Recommend a good movie", "Какая завтра погода", "Расскажи анекдот"));
    return m;
  }

  static List<LabelledText> labelled(Map<String, List<String>> m) {
    List<LabelledText> out = new ArrayList<>();
    m.forEach((label, texts) -> texts.forEach(t -> out.add(new LabelledText(t, label))));
    return out;
  }

  static List<LabelledText> validation() {
    return List.of(new LabelledText("what does the basic plan cost", "billing"),
        new LabelledText("сколько стоит подписка", "billing"),
        new LabelledText("reset the password for my account", "password"),
        new LabelledText("не помню пароль", "password"),
        new LabelledText("where is my parcel", "delivery"),
        new LabelledText("где моя посылка", "delivery"),
        new LabelledText("sing me a song", "oos"),
        new LabelledText("какой сегодня курс доллара", "oos"));
  }

  @BeforeAll
  static void train() {
    embedder = LocalEmbedder.create(2);
    classifier = IntentTrainer.builder(embedder).build().train(labelled(examples()), validation());
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void englishAndRussianParaphrasesFindTheirIntent() {
    assertThat(classifier.classify("I have forgotten my password, help").name()).isEqualTo("password");
    assertThat(classifier.classify("how much is the premium subscription").name()).isEqualTo("billing");
    // The bundled model knows no Russian: these are carried by the character n-grams.
    assertThat(classifier.classify("забыла свой пароль, помогите").name()).isEqualTo("password");
    assertThat(classifier.classify("сколько стоит премиум тариф").name()).isEqualTo("billing");
    assertThat(classifier.classify("когда приедет мой заказ").name()).isEqualTo("delivery");
    assertThat(classifier.intents()).containsExactly("billing", "password", "delivery");
  }

  @Test
  void offTopicTextIsOutOfScopeAndConfidencesAreProbabilities() {
    Intent weather = classifier.classify("what will the weather be like tomorrow");
    assertThat(weather.isOutOfScope()).isTrue();
    Intent password = classifier.classify("How do I reset my password?");
    assertThat(password.confidence()).isBetween(classifier.threshold(), 1.0);
    assertThat(classifier.classify("   ")).isEqualTo(Intent.outOfScope(1.0));
  }

  @Test
  void aBatchIsOneEmbeddingCallAndGivesTheSameAnswersAsOneByOne() {
    AtomicInteger calls = new AtomicInteger();
    Embedder counting = new Embedder() {
      @Override
      public int dimension() {
        return embedder.dimension();
      }

      @Override
      public String modelName() {
        return embedder.modelName();
      }

      @Override
      public float[] embed(String text) {
        throw new AssertionError("classifyAll must embed in one batch");
      }

      @Override
      public List<float[]> embedAll(List<String> texts) {
        calls.incrementAndGet();
        return embedder.embedAll(texts);
      }
    };
    LearnedIntentClassifier c = new LearnedIntentClassifier(counting, classifier.featurizer(), classifier.labels(),
        classifier.oosClass(), classifier.model(), classifier.calibration());
    List<String> texts = List.of("где мой заказ", "", "tell me a joke", "refund my money please", "сбросить пароль");
    List<Intent> batch = c.classifyAll(texts);
    assertThat(calls).hasValue(1);
    assertThat(batch).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      Intent one = classifier.classify(texts.get(i));
      assertThat(batch.get(i).name()).as(texts.get(i)).isEqualTo(one.name());
      assertThat(batch.get(i).confidence()).as(texts.get(i)).isCloseTo(one.confidence(), within(1e-4));
    }
    assertThat(c.classifyAll(List.of())).isEmpty();
  }

  @Test
  void savedAndLoadedItAnswersExactlyTheSame(@TempDir Path dir) {
    Path file = dir.resolve("intents.model");
    classifier.save(file);
    LearnedIntentClassifier loaded = LearnedIntentClassifier.load(file, embedder);
    List<String> texts = List.of("where is my order", "забыл пароль", "tell me a joke", "двойное списание");
    assertThat(loaded.classifyAll(texts)).isEqualTo(classifier.classifyAll(texts));
    assertThat(loaded.threshold()).isEqualTo(classifier.threshold());
    assertThat(loaded.temperature()).isEqualTo(classifier.temperature());
    assertThat(loaded.intents()).isEqualTo(classifier.intents());
  }

  @Test
  void loadingRefusesAnotherEmbeddingModelAndBadFiles(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("intents.model");
    classifier.save(file);
    Embedder other = new Embedder() {
      @Override
      public int dimension() {
        return 768;
      }

      @Override
      public String modelName() {
        return "text-embedding-3-small";
      }

      @Override
      public float[] embed(String text) {
        return new float[768];
      }
    };
    assertThatThrownBy(() -> LearnedIntentClassifier.load(file, other))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("file " + file + " was trained with the embedding model \"all-minilm-l6-v2-q\" (384 dimensions),"
            + " not with \"text-embedding-3-small\" (768 dimensions)");
    Path garbage = Files.writeString(dir.resolve("garbage.model"), "{\"not\": \"a model\"}");
    assertThatThrownBy(() -> LearnedIntentClassifier.load(garbage, embedder))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("file " + garbage + " is not a tgsupport intent model (it does not start with \"TGSI\")");
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = Files.write(dir.resolve("truncated.model"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> LearnedIntentClassifier.load(truncated, embedder))
        .isInstanceOf(InvalidInputException.class).hasMessage("file " + truncated + " is truncated");
    assertThatThrownBy(() -> LearnedIntentClassifier.load(dir.resolve("missing.model"), embedder))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("missing.model does not exist");
  }

  @Test
  void theThresholdIsLearntFromTheValidationExamples() {
    // The same training data, calibrated on validation sets that differ only in how off-topic look.
    List<LabelledText> farOff = new ArrayList<>(validation());
    List<LabelledText> nearMiss = new ArrayList<>(validation());
    nearMiss.add(new LabelledText("how much does a plane ticket to Paris cost", "oos"));
    nearMiss.add(new LabelledText("where is the nearest post office", "oos"));
    nearMiss.add(new LabelledText("как поменять колесо у машины", "oos"));
    IntentTrainer trainer = IntentTrainer.builder(embedder).build();
    LearnedIntentClassifier a = trainer.train(labelled(examples()), farOff);
    LearnedIntentClassifier b = trainer.train(labelled(examples()), nearMiss);
    assertThat(a.threshold()).isEqualTo(classifier.threshold());
    assertThat(b.threshold()).isNotEqualTo(a.threshold());
  }

  @Test
  void theConvenienceFactoryHoldsOutPartOfEachIntentAndIsRepeatable() {
    LearnedIntentClassifier once = IntentTrainer.train(embedder, examples());
    LearnedIntentClassifier again = IntentTrainer.train(embedder, examples());
    assertThat(once.intents()).containsExactly("billing", "delivery", "password");
    List<String> texts = List.of("where is my package", "refund please", "не могу войти");
    assertThat(once.classifyAll(texts)).isEqualTo(again.classifyAll(texts));
    assertThat(once.threshold()).isEqualTo(again.threshold());
  }

  @Test
  void badInputsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new LabelledText(" ", "billing")).isInstanceOf(InvalidInputException.class)
        .hasMessage("text must not be blank, was \" \"");
    assertThatThrownBy(() -> classifier.classify(null)).isInstanceOf(InvalidInputException.class)
        .hasMessage("text must not be null");
    assertThatThrownBy(() -> classifier.classifyAll(java.util.Arrays.asList("ok", null)))
        .isInstanceOf(InvalidInputException.class).hasMessage("texts[1] must not be null");
    IntentTrainer trainer = IntentTrainer.builder(embedder).build();
    assertThatThrownBy(() -> trainer.train(List.of(new LabelledText("hello", "greeting"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("examples need at least two labels, one of them an intent, was [greeting]");
    assertThatThrownBy(() -> trainer.train(labelled(examples()), List.of(new LabelledText("hi", "greeting"))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("validation[0].label must be an intent of the training examples or \"oos\", was \"greeting\"");
    assertThatThrownBy(() -> IntentTrainer.builder(embedder).buckets(1000))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("buckets must be a power of two in [1024, 4194304], was 1000");
    assertThatThrownBy(() -> IntentTrainer.builder(embedder).holdoutFraction(1.0))
        .isInstanceOf(InvalidInputException.class).hasMessage("holdoutFraction must be in (0, 1), was 1.0");
    assertThatThrownBy(() -> IntentTrainer.builder(null)).isInstanceOf(InvalidInputException.class)
        .hasMessage("embedder must not be null");
  }
}
