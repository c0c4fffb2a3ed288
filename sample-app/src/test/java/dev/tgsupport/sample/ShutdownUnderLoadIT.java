package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.telegram.fake.Fault;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.SentMessage;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged jar while it works through a backlog, on PostgreSQL: it exits 0 in bounded time, and a
 * second start on the same database and the same Telegram finishes the rest with nothing lost and nothing doubled.
 */
class ShutdownUnderLoadIT {
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration STOP = Duration.ofSeconds(60);
  private static final Duration FINISH = Duration.ofSeconds(90);
  private static final int UPDATES = 200;
  private static final long FIRST_USER = 1000;
  // Questions of the bundled knowledge base, each with a piece of its answer.
  private static final String[][] KNOWN = {
      {"How do I reset my password?", "Forgot password"},
      {"Where can I download invoices?", "Invoices"},
      {"Can I get a refund?", "refunded"},
      {"How do I export my data?", "Export"},
      {"How do I invite teammates?", "Invite"}};
  private static final String[] GREETINGS = {"hi", "привет"};

  private enum Kind { ANSWERED, GREETING, TICKET }

  /** Update {@code n} (1-based) comes from user and private chat {@code FIRST_USER + n}, as its message {@code n}. */
  private record Sample(int n, Kind kind, String text, String answer) {
    long chat() {
      return FIRST_USER + n;
    }
  }

  private FakeTelegramServer telegram;
  private String schema;

  @BeforeEach
  void start() {
    telegram = FakeTelegramServer.start();
    schema = TestPostgres.createSchema("sigterm");
  }

  @AfterEach
  void stop() {
    telegram.close();
    TestPostgres.dropSchema(schema);
  }

  private static List<Sample> samples() {
    List<Sample> samples = new ArrayList<>();
    for (int n = 1; n <= UPDATES; n++) {
      samples.add(switch (n % 3) {
        case 0 -> {
          String[] q = KNOWN[n % KNOWN.length];
          yield new Sample(n, Kind.ANSWERED, q[0], q[1]);
        }
        case 1 -> new Sample(n, Kind.GREETING, GREETINGS[n % GREETINGS.length], null);
        default -> new Sample(n, Kind.TICKET, "Why does the zebra widget number " + n + " flicker on Tuesdays?",
            null);
      });
    }
    return samples;
  }

  @Test
  void sigtermInTheMiddleOfABacklogLosesAndDoublesNothingAcrossARestart() throws Exception {
    List<Sample> samples = samples();
    long replies = samples.stream().filter(s -> s.kind() != Kind.GREETING).count();
    for (Sample s : samples) {
      telegram.enqueue(UpdateSamples.privateText(s.n(), s.chat(), s.n(), s.text()));
    }
    Map<String, String> env = BotSettingsTest.map("TGSUPPORT_HTTP_PORT", "0", "TELEGRAM_BOT_TOKEN",
        telegram.token(), "TELEGRAM_API_URL", telegram.baseUrl(), "DATABASE_URL", TestPostgres.urlFor(schema));

    long confirmedByFirst;
    try (JarProcess first = JarProcess.start(env, "run")) {
      first.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      // Telegram's 30 messages a second, which the sender keeps to, spread the replies over seconds: stop at a few.
      await("the first replies", () -> telegram.sentMessages().size() >= 10, FINISH);
      assertThat(telegram.sentMessages().size()).as("SIGTERM comes in the middle").isLessThan((int) replies);
      // Flood control for two chats pauses all sending for longer than the shutdown grace (8 s), so messages are
      // surely still in flight when it ends: they must stay stored and unanswered for the next start, not be lost.
      telegram.failNext(Fault.tooManyRequests(30).forMethod("sendMessage").times(2));
      first.terminate();
      assertThat(first.waitFor(STOP)).as(first.err()).isZero();
      assertThat(first.errLines()).contains("tgsupport run: stopped");
      assertThat(first.err()).doesNotContain(BotSettingsTest.SECRET_PART);
      // Messages cut short by the stop are expected, not faults: a warning line each, never an error with a trace.
      assertThat(first.err()).doesNotContain("\tat ").doesNotContain("ERROR");

      // What was acknowledged was stored: the fake keeps exactly the rest for the next poller.
      confirmedByFirst = telegram.confirmedUpTo();
      long stored = count("messages WHERE direction = 'in'");
      long handled = count("messages WHERE direction = 'in' AND handled_at IS NOT NULL");
      System.out.printf("ShutdownUnderLoadIT: first run: %d of %d updates confirmed, %d stored, %d handled,"
          + " %d of %d replies sent%n", confirmedByFirst, UPDATES, stored, handled, telegram.sentMessages().size(),
          replies);
      assertThat(confirmedByFirst).isPositive();
      assertThat(telegram.pendingUpdates()).isEqualTo(UPDATES - (int) confirmedByFirst);
      assertThat(count("messages WHERE direction = 'in' AND telegram_message_id <= " + confirmedByFirst))
          .isEqualTo(confirmedByFirst);
      assertThat(handled).as("messages left unanswered by the first run").isLessThan(stored);
    }

    try (JarProcess second = JarProcess.start(env, "run")) {
      second.awaitErr(l -> l.startsWith("tgsupport run: running"), START);
      await("every update stored and handled, every reply sent", () -> telegram.confirmedUpTo() == UPDATES
          && telegram.sentMessages().size() >= replies
          && count("messages WHERE direction = 'in' AND handled_at IS NOT NULL") == UPDATES, FINISH);
      second.terminate();
      assertThat(second.waitFor(STOP)).as(second.err()).isZero();
      assertThat(second.err()).doesNotContain("\tat ");
    }

    // Every update stored exactly once, and handled.
    assertThat(count("messages WHERE direction = 'in'")).isEqualTo(UPDATES);
    assertThat(count("messages WHERE direction = 'in' AND handled_at IS NOT NULL")).isEqualTo(UPDATES);
    assertThat(TestPostgres.count("SELECT count(DISTINCT (chat_id, telegram_message_id)) FROM " + schema
        + ".messages WHERE direction = 'in'")).isEqualTo(UPDATES);
    // Telegram's offset is confirmed to the end: nothing would come again.
    assertThat(telegram.confirmedUpTo()).isEqualTo(UPDATES);
    assertThat(telegram.pendingUpdates()).isZero();

    List<String> problems = new ArrayList<>();
    for (Sample s : samples) {
      List<SentMessage> sent = telegram.sentMessages(s.chat());
      long tickets = count("tickets WHERE chat_id = " + s.chat());
      String got = s + ": sent " + sent.stream().map(SentMessage::text).toList() + ", tickets " + tickets;
      switch (s.kind()) {
        case ANSWERED -> {
          if (sent.size() != 1 || !sent.get(0).text().contains(s.answer()) || tickets != 0) {
            problems.add(got);
          }
        }
        case GREETING -> {
          if (!sent.isEmpty() || tickets != 0) {
            problems.add(got);
          }
        }
        case TICKET -> {
          if (sent.size() != 1 || !sent.get(0).text().contains("ticket #") || tickets != 1) {
            problems.add(got);
          }
        }
      }
    }
    assertThat(problems).as("chats answered other than once as expected").isEmpty();
    long ticketCount = samples.stream().filter(s -> s.kind() == Kind.TICKET).count();
    assertThat(count("tickets")).isEqualTo(ticketCount);
    assertThat(count("outbox WHERE kind = 'ticket.create'")).isEqualTo(ticketCount);
    assertThat(count("messages WHERE direction = 'out'")).isEqualTo(replies);
    assertThat(telegram.sentMessages()).hasSize((int) replies);
  }

  private long count(String fromWhere) {
    return TestPostgres.count("SELECT count(*) FROM " + schema + "." + fromWhere);
  }

  private static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + timeout);
      }
      Thread.sleep(20);
    }
  }
}
