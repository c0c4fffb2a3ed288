package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.sample.RunCommandTest.Run;
import dev.tgsupport.telegram.SendLimits;
import dev.tgsupport.telegram.fake.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tgsupport bench sender}: its plan, its output and its options; {@code BenchSenderCommandIT} runs it. */
class BenchSenderCommandTest {
  @Test
  void eachChatBelongsToOneThreadAndKeepsItsOrder() {
    SenderBench.Settings s = new SenderBench.Settings(1000, 100, 30);
    assertThat(s.threads()).isEqualTo(SenderBench.MAX_THREADS);
    List<List<Integer>> plan = SenderBench.plan(s);
    assertThat(plan).hasSize(64);
    List<Integer> all = new ArrayList<>();
    Map<Long, Integer> owner = new HashMap<>();
    for (int t = 0; t < plan.size(); t++) {
      List<Integer> messages = plan.get(t);
      assertThat(messages).isSorted();
      for (int i : messages) {
        Integer previous = owner.put(SenderBench.chatOf(i, s), t);
        assertThat(previous == null || previous == t).as("chat of message %d on one thread", i).isTrue();
      }
      all.addAll(messages);
    }
    assertThat(all).hasSize(1000).doesNotHaveDuplicates();
    Set<Long> chats = new HashSet<>(owner.keySet());
    assertThat(chats).hasSize(100).allMatch(c -> c > 0);
  }

  @Test
  void theFakeEnforcesTheLimitWithItsDefaultBurstAndTheSenderStaysInsideIt() {
    assertThat(SenderBench.fakeLimits(30).global().messages()).isEqualTo(30);
    assertThat(SenderBench.fakeLimits(30).global().burst()).isEqualTo(30);
    assertThat(SenderBench.fakeLimits(50).perChat()).isEqualTo(
        Limits.telegramDefaults().perChat());
    assertThat(SenderBench.senderLimits(50).global().permits()).isEqualTo(50);
    assertThat(SenderBench.senderLimits(50).global().burst()).isEqualTo(1);
    assertThat(SenderBench.senderLimits(50).perChat()).isEqualTo(
        SendLimits.telegramDefaults().perChat());
  }

  @Test
  void theResultPrintsEveryKeyOnce() {
    SenderBench.Result r = new SenderBench.Result(new SenderBench.Settings(600, 60, 30), 600, 20_010_000_000L, 0, 2,
        0, null, 0, 30, new long[0]);
    assertThat(r.lines()).containsExactly(
        "messages: 600",
        "chats: 60",
        "limit_per_s: 30",
        "elapsed_s: 20.010",
        "sent_per_s: 29.99",
        "http_429: 0",
        "max_per_chat_per_s: 2");
  }

  @Test
  void thePaceSeparatesTheBulkFromTheTail() {
    long[] at = new long[20];
    for (int i = 0; i < 18; i++) {
      at[i] = i * 100_000_000L; // 10/s
    }
    at[18] = 5_000_000_000L;
    at[19] = 6_000_000_000L;
    SenderBench.Result r = new SenderBench.Result(new SenderBench.Settings(20, 2, 10), 20, at[19], 0, 1, 0, null, 0,
        10, at);
    assertThat(r.pace()).isEqualTo("the first 18 answers went out at 10.00/s; the last 2 took 4.30 s more");
  }

  @ParameterizedTest
  @CsvSource({"--messages,0", "--chats,0", "--limit-per-s,0", "--limit-per-s,10001"})
  void badOptionsAreUsageErrors(String option, String value) {
    Run r = RunCommandTest.run(Map.of(), "bench", "sender", option, value);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("tgsupport bench sender: " + option + " must be in ").hasLineCount(1);
  }

  @Test
  void helpListsTheKeys() {
    Run r = RunCommandTest.run(Map.of(), "bench", "sender", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("--messages=N", "--chats=C", "--limit-per-s=L", "(default 600)", "(default 60)",
        "(default 30", "sent_per_s", "limit_per_s", "http_429", "max_per_chat_per_s", "elapsed_s");
  }
}
