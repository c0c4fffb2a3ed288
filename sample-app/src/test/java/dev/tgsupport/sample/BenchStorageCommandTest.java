package dev.tgsupport.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.model.IncomingMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code tgsupport bench storage}: what it refuses before touching a database, and what it would store. */
class BenchStorageCommandTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = TgSupportCli.execute(Io.of(new ByteArrayInputStream(new byte[0]), out, err), args);
    return new Run(exit, out.toString(UTF_8), err.toString(UTF_8));
  }

  @Test
  void theDatabaseUrlIsRequired() {
    Run r = run("bench", "storage");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Missing required option: '--database-url=URL'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--messages|0|--messages must be in 1..10000000, was 0",
    "--messages|10000001|--messages must be in 1..10000000, was 10000001",
    "--threads|0|--threads must be in 1..512, was 0",
    "--warmup|-1|--warmup must be in 0..1000000, was -1",
    "--pool-size|0|--pool-size must be in 1..200, was 0",
    "--linger-ms|-1|--linger-ms must be in 0..1000, was -1",
    "--max-batch|2001|--max-batch must be in 1..2000, was 2001",
    "--rounds|0|--rounds must be in 1..100, was 0"
  })
  void anOptionOutOfRangeIsAUsageErrorNamingIt(String option, String value, String message) {
    Run r = run("bench", "storage", "--database-url", URL, option, value);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("tgsupport bench storage: " + message + System.lineSeparator());
  }

  @Test
  void aNonNumberIsAUsageError() {
    Run r = run("bench", "storage", "--database-url", URL, "--threads", "many");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Invalid value for option '--threads': 'many' is not an int");
  }

  @Test
  void aMalformedUrlIsAUsageErrorWithoutItsPassword() {
    Run r = run("bench", "storage", "--database-url", "mysql://bench:hunter22@db/app");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tgsupport bench storage: bad --database-url: ").doesNotContain("hunter22");
  }

  @Test
  void benchAloneAsksForTheBenchmark() {
    Run r = run("bench");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required subcommand").contains("storage");
  }

  @Test
  void helpListsTheOutputKeys() {
    Run r = run("bench", "storage", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--database-url=URL", "--messages=N", "--threads=T", "baseline_msgs_per_s",
        "avg_batch", "ratio_min", "--rounds=R", "(default 20000)", "(default 16)", "(default 3)");
  }

  @Test
  void roundsAreSummedUpByTheirMedianRateAndPooledLatencies() {
    BenchLoop.Timing slow = new BenchLoop.Timing(new long[] {1_000_000, 3_000_000}, 2_000_000_000L);
    BenchLoop.Timing fast = new BenchLoop.Timing(new long[] {2_000_000}, 100_000_000L);
    BenchLoop.Timing middle = new BenchLoop.Timing(new long[] {4_000_000, 5_000_000}, 1_000_000_000L);
    assertThat(BenchLoop.medianRate(List.of(slow, fast, middle))).isEqualTo(2.0);
    assertThat(BenchLoop.medianRate(List.of(slow, middle))).isEqualTo(1.5);
    assertThat(BenchLoop.medianRate(List.of())).isZero();
    BenchLoop.Timing all = BenchLoop.pooled(List.of(slow, fast, middle));
    assertThat(all.latencies()).containsExactly(1_000_000, 3_000_000, 2_000_000, 4_000_000, 5_000_000);
    assertThat(all.wallNanos()).isEqualTo(3_100_000_000L);
    assertThat(all.percentileMs(0.99)).isEqualTo(5.0);
  }

  @Test
  void theWorkloadIsRealisticAndTheSameEveryRun() {
    List<IncomingMessage> messages = new StorageBench.Workload(7).messages(5000);
    assertThat(messages).isEqualTo(new StorageBench.Workload(7).messages(5000));
    Set<Long> users = new HashSet<>();
    Set<Long> chats = new HashSet<>();
    Set<String> keys = new HashSet<>();
    boolean russian = false;
    boolean english = false;
    for (IncomingMessage m : messages) {
      assertThat(m.text().length()).isBetween(20, 400);
      users.add(m.user().id());
      chats.add(m.chat().id());
      assertThat(keys.add(m.chat().id() + "/" + m.telegramMessageId())).as("unique keys").isTrue();
      russian |= m.text().matches(".*[а-я].*");
      english |= m.text().matches("^[a-z .]+$");
    }
    assertThat(users).hasSize(500);
    assertThat(chats).hasSize(200);
    assertThat(russian).isTrue();
    assertThat(english).isTrue();
  }

  @Test
  void theResultPrintsEveryKeyOnce() {
    StorageBench.Result r =
        new StorageBench.Result(500, 16, 3, 1234.4, 4321.6, 3.1, 3.875, 1.234, 12.345, 0.5, 2.0, 15.96);
    assertThat(r.lines()).containsExactly(
        "messages: 500",
        "threads: 16",
        "rounds: 3",
        "baseline_msgs_per_s: 1234",
        "sdk_msgs_per_s: 4322",
        "ratio: 3.50",
        "ratio_min: 3.10",
        "ratio_max: 3.88",
        "baseline_p50_ms: 1.23",
        "baseline_p99_ms: 12.35",
        "p50_ms: 0.50",
        "p99_ms: 2.00",
        "avg_batch: 16.0");
  }
}
