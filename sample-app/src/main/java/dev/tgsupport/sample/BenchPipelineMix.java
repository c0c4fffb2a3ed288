package dev.tgsupport.sample;

import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.TelegramUser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The traffic of {@code bench pipeline}: users writing to the bot in their private chats, in Russian and English,
 * about 40% noise (greetings, thanks, "+1", emoji, stickers), 40% paraphrases of the knowledge base's questions and
 * 20% questions it cannot answer. Seeded, so every run sends the same messages.
 */
final class BenchPipelineMix {
  /** What a message is meant to be; what the pipeline makes of it is measured separately. */
  enum Kind {
    NOISE,
    ANSWERABLE,
    TICKET
  }

  /** One message of the mix and what it was generated as. */
  record Item(IncomingMessage message, Kind kind, boolean russian) {}

  private static final Pattern CYRILLIC = Pattern.compile(".*\\p{IsCyrillic}.*", Pattern.DOTALL);

  private static final String[] NOISE_EN = {"hi", "hello!", "thanks", "thank you so much!", "+1", "ok", "got it",
    "👍", "🙏🙏", ":)", "hi guys", "thx"};
  private static final String[] NOISE_RU = {"привет", "здравствуйте!", "спасибо", "спасибо большое!", "+1", "ок",
    "понятно", "👍", "🙏", ")))", "добрый день", "спасибооо"};
  private static final String[] PREFIX_EN = {"", "", "hi, ", "hello! ", "quick question: ", "sorry to bother you, "};
  private static final String[] PREFIX_RU = {"", "", "здравствуйте, ", "подскажите, ", "добрый день! ",
    "вопрос: "};
  private static final String[] SUFFIX_EN = {"", "", " thanks", " please help"};
  private static final String[] SUFFIX_RU = {"", "", " спасибо", " помогите пожалуйста"};
  // Nothing in the bundled knowledge base covers these: they end as tickets.
  private static final String[] TICKET_EN = {
    "The Gantt view shows wrong dates for sprint %d since this morning",
    "Our SSO login through Okta fails with error code %d",
    "Please merge workspace %d into our main workspace",
    "Task TL-%d disappeared from the board after I moved it",
    "The weekly report for team %d is empty although we closed tasks",
    "Custom field %d lost its values after yesterday's release"};
  private static final String[] TICKET_RU = {
    "Диаграмма Ганта с утра показывает неправильные даты в спринте %d",
    "Вход через SSO Okta падает с ошибкой %d",
    "Объедините, пожалуйста, пространство %d с нашим основным",
    "Задача TL-%d пропала с доски после переноса",
    "Еженедельный отчёт команды %d пустой, хотя задачи закрыты",
    "Пользовательское поле %d потеряло значения после вчерашнего релиза"};

  private final Random random;
  private final List<String> questionsEn = new ArrayList<>();
  private final List<String> questionsRu = new ArrayList<>();
  private final long firstUserId;

  /**
   * @param seed the mix's seed: the same seed gives the same messages
   * @param firstUserId the first user id; the warm-up and the measured run use disjoint ranges, so no user's flood
   *     count or dialog carries over from one to the other
   */
  BenchPipelineMix(long seed, long firstUserId, List<KnowledgeDraft> knowledge) {
    this.random = new Random(seed);
    this.firstUserId = firstUserId;
    for (KnowledgeDraft d : knowledge) {
      (CYRILLIC.matcher(d.question()).matches() ? questionsRu : questionsEn).add(d.question());
    }
    if (questionsEn.isEmpty() || questionsRu.isEmpty()) {
      throw new IllegalArgumentException("the knowledge base needs Russian and English questions, has "
          + questionsRu.size() + " Russian and " + questionsEn.size() + " English");
    }
  }

  /** {@code count} messages: exactly round(40%) noise, round(40%) answerable and the rest tickets, shuffled. */
  List<Item> items(int count) {
    int noise = Math.round(count * 0.4f);
    int answerable = Math.round(count * 0.4f);
    List<Kind> kinds = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      kinds.add(i < noise ? Kind.NOISE : i < noise + answerable ? Kind.ANSWERABLE : Kind.TICKET);
    }
    Collections.shuffle(kinds, random);

    // About four messages per user, as in a day of support: enough to be realistic, too few to look like flood.
    int userCount = Math.max(1, count / 4);
    TelegramUser[] users = new TelegramUser[userCount];
    Chat[] chats = new Chat[userCount];
    long[] lastMessageId = new long[userCount];
    for (int u = 0; u < userCount; u++) {
      boolean russian = random.nextBoolean();
      long id = firstUserId + u;
      users[u] = TelegramUser.of(id, "user" + id, (russian ? "Пользователь " : "User ") + u,
          random.nextBoolean() ? null : "L" + u, russian ? "ru" : "en");
      chats[u] = Chat.privateChat(id, users[u].displayName());
      // A private chat's message ids count up from the first message the user ever sent the bot.
      lastMessageId[u] = 1 + random.nextInt(20_000);
    }

    List<Item> out = new ArrayList<>(count);
    Instant t = Instant.parse("2026-11-23T10:00:00Z");
    for (int i = 0; i < count; i++) {
      int u = random.nextInt(userCount);
      boolean russian = "ru".equals(users[u].languageCode());
      Kind kind = kinds.get(i);
      lastMessageId[u] += 1 + random.nextInt(3);
      MessageType type = MessageType.TEXT;
      String text;
      switch (kind) {
        case NOISE -> {
          if (random.nextInt(6) == 0) {
            type = MessageType.STICKER;
            text = "";
          } else {
            text = pick(russian ? NOISE_RU : NOISE_EN);
          }
        }
        case ANSWERABLE -> text = paraphrase(russian);
        default -> text = String.format(Locale.ROOT, pick(russian ? TICKET_RU : TICKET_EN), 10 + random.nextInt(990));
      }
      out.add(new Item(new IncomingMessage(chats[u], users[u], lastMessageId[u], null, null, type, text,
          t.plusMillis(i * 250L)), kind, russian));
    }
    return out;
  }

  /** How many of each kind, and how many in Russian, for the stderr report. */
  static String describe(List<Item> items) {
    Map<Kind, Integer> byKind = new EnumMap<>(Kind.class);
    int russian = 0;
    int stickers = 0;
    for (Item item : items) {
      byKind.merge(item.kind(), 1, Integer::sum);
      russian += item.russian() ? 1 : 0;
      stickers += item.message().type() == MessageType.STICKER ? 1 : 0;
    }
    int n = Math.max(1, items.size());
    return String.format(Locale.ROOT, "%d messages: %d noise (%.0f%%, %d stickers), %d answerable (%.0f%%),"
            + " %d for tickets (%.0f%%); %d Russian (%.0f%%), %d English",
        items.size(), byKind.getOrDefault(Kind.NOISE, 0), 100.0 * byKind.getOrDefault(Kind.NOISE, 0) / n, stickers,
        byKind.getOrDefault(Kind.ANSWERABLE, 0), 100.0 * byKind.getOrDefault(Kind.ANSWERABLE, 0) / n,
        byKind.getOrDefault(Kind.TICKET, 0), 100.0 * byKind.getOrDefault(Kind.TICKET, 0) / n,
        russian, 100.0 * russian / n, items.size() - russian);
  }

  /** A question of the knowledge base as users type it: a greeting before, lower case, no question mark, a plea. */
  private String paraphrase(boolean russian) {
    String question = pick(russian ? questionsRu : questionsEn);
    String body = question;
    if (random.nextBoolean()) {
      body = body.toLowerCase(Locale.ROOT);
    }
    if (random.nextBoolean()) {
      body = body.replace("?", "");
    }
    String prefix = pick(russian ? PREFIX_RU : PREFIX_EN);
    if (!prefix.isEmpty() && !body.isEmpty()) {
      body = Character.toLowerCase(body.charAt(0)) + body.substring(1);
    }
    return prefix + body + pick(russian ? SUFFIX_RU : SUFFIX_EN);
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
