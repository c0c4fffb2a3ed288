package dev.tgsupport.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.sample.BenchPipelineMix.Item;
import dev.tgsupport.sample.BenchPipelineMix.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tgsupport bench pipeline}: what it refuses before touching a database, the mix it sends, and the pipeline
 * part for real on in-memory storage (the baseline, which needs PostgreSQL, is in {@link BenchPipelineCommandIT}).
 */
class BenchPipelineCommandTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
  private static final List<KnowledgeDraft> KNOWLEDGE = DemoBot.bundledKnowledge();

  record Run(int exit, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Io io = Io.of(new ByteArrayInputStream(new byte[0]), out, err);
    int exit = TgSupportCli.execute(io, env, StopTrigger.jvm(io), args);
    return new Run(exit, out.toString(UTF_8), err.toString(UTF_8));
  }

  @Test
  void withoutADatabaseItSaysTheBaselineNeedsOne() {
    Run r = run(Map.of(), "bench", "pipeline", "--storage", "memory");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tgsupport bench pipeline: no database: give --database-url URL or set DATABASE_URL"
        + " (the baseline writes to PostgreSQL, also with --storage memory)" + System.lineSeparator());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--messages|0|--messages must be in 1..1000000, was 0",
    "--threads|0|--threads must be in 1..64, was 0",
    "--threads|65|--threads must be in 1..64, was 65",
    "--warmup|-1|--warmup must be in 0..100000, was -1",
    "--storage|embedded|--storage must be memory or postgres, was 'embedded'"
  })
  void anOptionOutOfRangeIsAUsageErrorNamingIt(String option, String value, String message) {
    Run r = run(Map.of(), "bench", "pipeline", "--database-url", URL, option, value);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tgsupport bench pipeline: " + message + System.lineSeparator());
  }

  @Test
  void aMalformedUrlFromTheEnvironmentIsAUsageErrorWithoutItsPassword() {
    Run r = run(Map.of("DATABASE_URL", "mysql://bench:hunter22@db/app"), "bench", "pipeline");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tgsupport bench pipeline: bad DATABASE_URL: ").doesNotContain("hunter22");
  }

  @Test
  void helpListsTheOutputKeysAndBenchListsTheCommand() {
    Run help = run(Map.of(), "bench", "pipeline", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--storage=KIND", "--database-url=URL", "--messages=N", "--threads=T",
        "(default 2000)", "(default 2)", "pipeline_msgs_per_s", "baseline_msgs_per_s", "stage_<name>_share");
    Run bench = run(Map.of(), "bench", "--help");
    assertThat(bench.out()).contains("pipeline");
  }

  @Test
  void theMixIsFortyFortyTwentyInBothLanguagesAndTheSameEveryRun() {
    List<Item> items = BenchPipeline.measuredItems(2000, KNOWLEDGE);
    assertThat(items).isEqualTo(BenchPipeline.measuredItems(2000, KNOWLEDGE));
    Map<Kind, Integer> kinds = new HashMap<>();
    Set<String> keys = new HashSet<>();
    Map<Long, Long> lastId = new HashMap<>();
    Set<String> questions = new HashSet<>();
    KNOWLEDGE.forEach(d -> questions.add(d.question().toLowerCase().replace("?", "")));
    int russian = 0;
    int stickers = 0;
    for (Item item : items) {
      IncomingMessage m = item.message();
      kinds.merge(item.kind(), 1, Integer::sum);
      assertThat(m.chat().type()).isEqualTo(ChatType.PRIVATE);
      assertThat(m.chat().id()).isEqualTo(m.user().id());
      assertThat(keys.add(m.chat().id() + "/" + m.telegramMessageId())).as("unique keys").isTrue();
      Long before = lastId.put(m.chat().id(), m.telegramMessageId());
      assertThat(before == null || before < m.telegramMessageId()).as("ids count up per chat").isTrue();
      assertThat(item.russian()).isEqualTo("ru".equals(m.user().languageCode()));
      if (item.russian()) {
        russian++;
      }
      if (m.type() == MessageType.STICKER) {
        stickers++;
        assertThat(item.kind()).isEqualTo(Kind.NOISE);
        assertThat(m.text()).isEmpty();
      }
      if (item.kind() == Kind.ANSWERABLE) {
        String text = m.text().toLowerCase().replace("?", "");
        assertThat(questions).as(m.text()).anyMatch(text::contains);
      }
      if (item.kind() != Kind.NOISE && item.russian()) {
        assertThat(m.text()).matches("(?s).*\\p{IsCyrillic}.*");
      }
    }
    assertThat(kinds).containsEntry(Kind.NOISE, 800).containsEntry(Kind.ANSWERABLE, 800)
        .containsEntry(Kind.TICKET, 400);
    assertThat(russian).isBetween(800, 1200);
    assertThat(stickers).isBetween(50, 250);
    assertThat(lastId.size()).as("users, about four messages each").isBetween(450, 500);
    assertThat(BenchPipelineMix.describe(items)).isEqualTo("2000 messages: 800 noise (40%, " + stickers
        + " stickers), 800 answerable (40%), 400 for tickets (20%); " + russian + " Russian ("
        + Math.round(russian / 20.0) + "%), " + (2000 - russian) + " English");
  }

  @Test
  void warmUpUsersAreNotTheMeasuredOnes() {
    Set<Long> measured = new HashSet<>();
    BenchPipeline.measuredItems(300, KNOWLEDGE).forEach(i -> measured.add(i.message().user().id()));
    assertThat(BenchPipeline.warmupItems(300, KNOWLEDGE)).noneMatch(i -> measured.contains(i.message().user().id()));
  }

  @Test
  void thePipelinePartProcessesTheMixWithTheRealModelsAndTimesEveryStage() throws Exception {
    StringWriter progress = new StringWriter();
    BenchPipeline bench = new BenchPipeline(new BenchPipeline.Settings(true, 60, 2, 10, 2, 0),
        new PrintWriter(progress, true));
    List<Item> measured = BenchPipeline.measuredItems(60, KNOWLEDGE);
    BenchPipeline.PipelineRun run;
    try (BenchPipeline.Models models = new BenchPipeline.Models()) {
      run = bench.runPipeline(InMemoryStorage.create(), models, KNOWLEDGE, BenchPipeline.warmupItems(10, KNOWLEDGE),
          measured, () -> {});
    }

    assertThat(run.timing().latencies()).hasSize(60);
    assertThat(Arrays.stream(run.timing().latencies()).min().orElseThrow()).isPositive();
    assertThat(run.outcomes()).doesNotContainKey(Outcome.Kind.FAILED);
    assertThat(run.outcomes().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
    int noise = 0;
    int answered = 0;
    int ticketsForTickets = 0;
    int ticketItems = 0;
    for (int i = 0; i < measured.size(); i++) {
      Kind kind = measured.get(i).kind();
      boolean ticket = run.tickets()[i];
      if (kind == Kind.NOISE) {
        noise++;
        assertThat(ticket).as("noise never opens a ticket: %s", measured.get(i).message().text()).isFalse();
      } else if (kind == Kind.TICKET) {
        ticketItems++;
        ticketsForTickets += ticket ? 1 : 0;
      }
    }
    answered = run.outcomes().getOrDefault(Outcome.Kind.ANSWERED, 0);
    assertThat(run.outcomes()).containsEntry(Outcome.Kind.NOISE, noise);
    assertThat(answered).as("answerable paraphrases answered").isGreaterThanOrEqualTo(20);
    assertThat(ticketsForTickets).as("unanswerable questions became tickets").isEqualTo(ticketItems);

    assertThat(run.stageNanos().keySet()).containsExactly("record", "noise", "followup", "intent", "knowledge",
        "ticket", "finish");
    for (String stage : List.of("record", "noise", "intent", "knowledge", "ticket", "finish")) {
      assertThat(run.stageNanos().get(stage)).as(stage).isPositive();
    }
    assertThat(run.shares().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
    assertThat(progress.toString()).contains("bench: warming up: 10 messages through the pipeline",
        "bench: pipeline: 60 messages in ");
  }

  @Test
  void theStderrReportGivesEachStagesMeanSelfTime() {
    Map<String, Long> nanos = new LinkedHashMap<>();
    nanos.put("record", 2_500_000L);
    nanos.put("finish", 10_000_000L);
    assertThat(BenchPipeline.perMessage(nanos, 4)).isEqualTo("record 0.63 ms, finish 2.50 ms");
  }

  @Test
  void theResultPrintsTheKeysInOrder() {
    Map<String, Double> shares = new LinkedHashMap<>();
    shares.put("record", 0.104);
    shares.put("intent", 0.615);
    shares.put("finish", 0.281);
    BenchPipeline.Result r = new BenchPipeline.Result(2000, 612.4, 400.0, 3.456, 41.0, shares);
    assertThat(r.lines()).containsExactly(
        "messages: 2000",
        "pipeline_msgs_per_s: 612",
        "baseline_msgs_per_s: 400",
        "ratio: 1.53",
        "p50_ms: 3.46",
        "p99_ms: 41.00",
        "stage_record_share: 0.10",
        "stage_intent_share: 0.62",
        "stage_finish_share: 0.28");
  }
}
