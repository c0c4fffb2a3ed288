package dev.tgsupport.sample;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeStatus;
import dev.tgsupport.core.moderation.SpamModeration;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import dev.tgsupport.core.pipeline.BotActions;
import dev.tgsupport.core.pipeline.MessageContext;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.core.port.DialogStates;
import dev.tgsupport.core.port.FloodCounter;
import dev.tgsupport.core.memory.InMemoryKnowledgeIndex;
import dev.tgsupport.core.port.Embedder;
import dev.tgsupport.core.port.IntentClassifier;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeRetriever;
import dev.tgsupport.knowledge.Calibration;
import dev.tgsupport.knowledge.HybridKnowledgeRetriever;
import dev.tgsupport.knowledge.intent.IntentTrainer;
import dev.tgsupport.knowledge.embed.LocalEmbedder;
import dev.tgsupport.core.port.Transactions;
import dev.tgsupport.core.text.DefaultNoiseFilter;
import dev.tgsupport.core.text.ExampleIntentClassifier;
import dev.tgsupport.core.text.Bm25KnowledgeRetriever;
import dev.tgsupport.core.text.LexicalKnowledgeRetriever;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The demo's bot: default text models, a bundled knowledge base and a handful of intents, on any storage. */
final class DemoBot {
  /** The bundled knowledge base, in the same CSV format as {@code --knowledge}. */
  static final String BUNDLED_KNOWLEDGE = "demo-knowledge.csv";

  static final TelegramUser USER = TelegramUser.of(1001, "demo_user", "Demo", "User", null);
  static final Chat CHAT = Chat.privateChat(USER.id(), USER.displayName());

  private DemoBot() {}

  /**
   * The state several instances of one bot must share, such as {@code RedisSupport}'s; each null part is kept in
   * this process, as the pipeline does by default. Sharing changes where the state lives, not what the bot does.
   *
   * @param floodCounter counts each user's repeated messages for the noise filter's flood check
   * @param dialogStates per-user conversation state
   */
  record Shared(FloodCounter floodCounter, DialogStates dialogStates) {
    /** Everything in this process: the demo, and {@code run} without Redis. */
    static final Shared NONE = new Shared(null, null);
  }

  /** A pipeline on in-memory storage whose knowledge base holds {@code knowledge}, all validated. */
  static Pipeline pipeline(List<KnowledgeDraft> knowledge) {
    return pipeline(InMemoryStorage.create(), knowledge);
  }

  /**
   * A pipeline on {@code storage} whose knowledge base holds {@code knowledge} (see {@link #withKnowledge}), looked
   * up as the bot does: words and the bundled embedding model together ({@link #hybrid}).
   */
  static Pipeline pipeline(Transactions storage, List<KnowledgeDraft> knowledge) {
    LocalEmbedder model = Model.EMBEDDER;
    return withKnowledge(hybrid(builder(storage), model, InMemoryKnowledgeIndex.create(model.dimension())).build(),
        knowledge);
  }

  /** The bundled embedding model, loaded once per process on first use (about a second). */
  private static final class Model {
    static final LocalEmbedder EMBEDDER = LocalEmbedder.create();
  }

  /**
   * Sets the text models of {@code pipeline} to the ones that use {@code embedder}: the intent classifier trained on
   * {@link #intentExamples()} (sentence vectors plus letter n-grams, so Russian works too), and the hybrid knowledge
   * lookup: the BM25 lexical retriever (Russian and English stems, typos) and vectors from {@code embedder} in
   * {@code index}, fused, with the shipped calibration's answer and rephrase thresholds.
   */
  static Pipeline.Builder hybrid(Pipeline.Builder pipeline, Embedder embedder, KnowledgeIndex index) {
    // BM25 as the lexical side, with its own calibration: the best of the three on examples/knowledge.
    return hybrid(pipeline, embedder, index, Bm25KnowledgeRetriever.create(), Calibration.bm25Defaults());
  }

  /** {@link #hybrid(Pipeline.Builder, Embedder, KnowledgeIndex)} with another lexical side and its calibration. */
  static Pipeline.Builder hybrid(Pipeline.Builder pipeline, Embedder embedder, KnowledgeIndex index,
      KnowledgeRetriever lexical, Calibration calibration) {
    HybridKnowledgeRetriever retriever = HybridKnowledgeRetriever.builder()
        .lexical(lexical)
        .embedder(embedder)
        .index(index)
        .calibration(calibration)
        .build();
    Calibration c = retriever.calibration();
    return pipeline.intentClassifier(IntentTrainer.train(embedder, intentExamples()))
        .knowledgeRetriever(retriever)
        .knowledgeThreshold(c.answerThreshold())
        .rephraseThreshold(c.rephraseThreshold());
  }


  /**
   * The demo's pipeline configuration on {@code storage}: default noise filter, the demo's intents, lexical knowledge
   * search and the "call a person" handler. {@code tgsupport run} adds Telegram's reply gateway and the bot's name.
   */
  static Pipeline.Builder builder(Transactions storage) {
    return builder(storage, Shared.NONE);
  }

  /** {@link #builder(Transactions)} with the flood counts and dialog states of {@code shared} where it has them. */
  static Pipeline.Builder builder(Transactions storage, Shared shared) {
    return builder(storage, shared, null);
  }

  /**
   * {@link #builder(Transactions, Shared)} with spam moderation: the noise filter asks {@code moderation}'s detector,
   * which staff teach with {@code /spam} and {@code /notspam}. Null for none, as in the console demo.
   */
  static Pipeline.Builder builder(Transactions storage, Shared shared, SpamModeration moderation) {
    DefaultNoiseFilter.Builder noise = DefaultNoiseFilter.builder();
    if (moderation != null) {
      noise.spamDetectorSource(moderation::detector);
    }
    if (shared.floodCounter() != null) {
      noise.floodCounter(shared.floodCounter());
    }
    Pipeline.Builder pipeline = Pipeline.builder();
    if (moderation != null) {
      pipeline.plugin(moderation);
    }
    if (shared.dialogStates() != null) {
      pipeline.dialogStates(shared.dialogStates());
    }
    return pipeline
        .transactions(storage)
        // The reply is out already; on PostgreSQL, not waiting for the disk flush of its record saves one per message
        // (see Pipeline.Builder#asynchronousFinish for what a database crash can then cost).
        .asynchronousFinish(true)
        .noiseFilter(noise.build())
        .intentClassifier(intents())
        .knowledgeRetriever(LexicalKnowledgeRetriever.create())
        // Set explicitly: with an explicit retriever the builder would fall back to a generic 0.5.
        .knowledgeThreshold(LexicalKnowledgeRetriever.RECOMMENDED_THRESHOLD)
        .onIntent("human", DemoBot::callHuman);
  }

  /**
   * Adds the entries of {@code knowledge} as validated, skipping those whose question is already stored as
   * validated, so running the demo (or the bot) again on the same database does not add the knowledge base twice.
   *
   * @return {@code pipeline}
   */
  static Pipeline withKnowledge(Pipeline pipeline, List<KnowledgeDraft> knowledge) {
    Set<String> stored = new HashSet<>();
    for (KnowledgeEntry e : pipeline.knowledge().list(KnowledgeStatus.VALIDATED)) {
      stored.add(e.question());
    }
    List<KnowledgeDraft> missing = knowledge.stream().filter(d -> !stored.contains(d.question())).toList();
    if (!missing.isEmpty()) {
      pipeline.knowledge().addAll(missing, KnowledgeStatus.VALIDATED);
    }
    return pipeline;
  }

  /**
   * The Telegram message id the demo user's next message gets: 1 on fresh storage, else one past the highest
   * stored, because storage refuses a second message with the same id as a duplicate.
   */
  static long nextMessageId(Transactions storage) {
    List<StoredMessage> newest = storage.inTransaction(s -> s.messages().listByChat(CHAT.id(), 100));
    long max = 0;
    for (StoredMessage m : newest) {
      max = Math.max(max, m.telegramMessageId());
    }
    return max + 1;
  }

  /** The demo user's message number {@code telegramMessageId} (1, 2, …) in their private chat with the bot. */
  static IncomingMessage message(long telegramMessageId, String text) {
    return IncomingMessage.text(CHAT, USER, telegramMessageId, text);
  }

  /** The demo's intents and their examples, in Russian and English. */
  static Map<String, List<String>> intentExamples() {
    Map<String, List<String>> examples = new LinkedHashMap<>();
    examples.put("human", List.of(
        "I want to talk to a person",
        "can I speak to a human",
        "connect me with an operator",
        "I need a live agent, not a bot",
        "let me talk to someone from support",
        "позовите оператора",
        "хочу поговорить с человеком",
        "соедините с живым человеком",
        "нужен оператор, а не бот",
        "переключите на сотрудника поддержки"));
    examples.put("bug_report", List.of(
        "the app crashes when I open a task",
        "I get error 500 when saving",
        "something is broken, the board does not load",
        "the button does nothing when I click it",
        "attachments fail to upload",
        "приложение вылетает при открытии задачи",
        "ошибка 500 при сохранении",
        "не загружаются вложения",
        "страница не открывается, висит загрузка",
        "кнопка не работает"));
    examples.put("billing", List.of(
        "I was charged twice this month",
        "how much does the Team plan cost",
        "I need an invoice for last month",
        "my card payment is declined",
        "please refund my payment",
        "с меня дважды списали деньги",
        "сколько стоит тариф Team",
        "нужен счёт за прошлый месяц",
        "не проходит оплата картой",
        "верните деньги за подписку"));
    examples.put("how_to", List.of(
        "how do I set up notifications",
        "where can I find workspace settings",
        "how can I add a new project",
        "how to move a task to another board",
        "where do I change my profile",
        "как настроить уведомления",
        "где найти настройки пространства",
        "как добавить новый проект",
        "как перенести задачу на другую доску",
        "где поменять данные профиля"));
    return examples;
  }

  /** The demo's intents by example matching, with no model to load: for commands that only store. */
  static IntentClassifier intents() {
    ExampleIntentClassifier.Builder b = ExampleIntentClassifier.builder();
    intentExamples().forEach(b::add);
    return b.build();
  }


  /** Someone asked for a person: open a ticket right away instead of trying the knowledge base. */
  private static Optional<Outcome> callHuman(MessageContext context, BotActions actions) {
    Ticket ticket = actions.openTicket(context, title(context.message().text()));
    String reply = "ru".equals(context.language())
        ? "Зову оператора: открыл заявку #" + ticket.id() + ". Сотрудник поддержки ответит вам здесь."
        : "Calling a person: I opened ticket #" + ticket.id() + ". Someone from our support team will reply here.";
    return Optional.of(Outcome.reply(Outcome.Kind.TICKET, context.withTicket(ticket), reply));
  }

  private static String title(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    String title = "Asked for a person: " + line;
    if (title.length() <= 120) {
      return title;
    }
    int cut = Character.isHighSurrogate(title.charAt(118)) ? 118 : 119;
    return title.substring(0, cut) + "…";
  }

  /** The bundled demo knowledge base. */
  static List<KnowledgeDraft> bundledKnowledge() {
    try (InputStream in = DemoBot.class.getResourceAsStream(BUNDLED_KNOWLEDGE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled knowledge base " + BUNDLED_KNOWLEDGE + " is missing");
      }
      return KnowledgeFile.parse(BUNDLED_KNOWLEDGE, in.readAllBytes(), KnowledgeFile.Format.CSV);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (KnowledgeFileException e) {
      throw new IllegalStateException("the bundled knowledge base is broken: " + e.getMessage(), e);
    }
  }
}
