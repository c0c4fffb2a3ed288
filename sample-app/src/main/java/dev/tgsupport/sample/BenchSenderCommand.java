package dev.tgsupport.sample;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tgsupport bench sender}: the Telegram sender's throughput within Telegram's flood control. */
@Command(
    name = "sender",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Send answers to many chats at once through the SDK's Telegram sender, against Telegram's limits.",
    description = {
      "Starts a fake Telegram Bot API in this process that enforces Telegram's flood control the way the real one"
          + " does (429 with retry_after): L messages a second overall (with a burst of L), 1 a second per chat"
          + " (burst 3), 20 a minute per group. Then N answers go to C private chats through the adapter's sender"
          + " (global limit L a second, 1 a second per chat with a burst of 2), from one thread per chat (at most"
          + " 64; a thread then serves several chats), each chat's answers one after the other, as the adapter's"
          + " dispatcher sends them.",
      "",
      "A good sender keeps sent_per_s close to limit_per_s with no 429 at all. With fewer chats than L, the"
          + " per-chat limit caps the rate at about C a second; and since one chat gets at most one answer a"
          + " second, chats that wait long for the global limit early on finish late, at that slower pace."
    },
    footerHeading = "%nOutput (stdout), one 'key: value' line each; progress goes to stderr:%n",
    footer = {
      "  messages, chats     what was run",
      "  limit_per_s         the global limit L",
      "  elapsed_s           from the start of the first send to the end of the last",
      "  sent_per_s          messages / elapsed_s: the sustained rate",
      "  http_429            429 answers the fake gave (flood control)",
      "  max_per_chat_per_s  the most messages one chat got within any second",
      "",
      "Exit codes: 0 done; 1 a send failed (the lines are printed all the same);",
      "2 a usage error."
    })
final class BenchSenderCommand implements Callable<Integer> {
  @ParentCommand private BenchCommand bench;

  @Option(names = "--messages", paramLabel = "N", description = "Answers to send (default ${DEFAULT-VALUE}).")
  private int messages = 600;

  @Option(names = "--chats", paramLabel = "C", description = "Private chats they go to (default ${DEFAULT-VALUE}).")
  private int chats = 60;

  @Option(
      names = "--limit-per-s",
      paramLabel = "L",
      description = "The global limit, messages a second, for the sender and the fake alike (default"
          + " ${DEFAULT-VALUE}, Telegram's).")
  private int limitPerSecond = 30;

  @Override
  public Integer call() throws InterruptedException {
    Io io = bench.io();
    PrintWriter err = io.err();
    try {
      check(messages >= 1 && messages <= 1_000_000, "--messages must be in 1..1000000, was " + messages);
      check(chats >= 1 && chats <= 100_000, "--chats must be in 1..100000, was " + chats);
      check(limitPerSecond >= 1 && limitPerSecond <= 10_000, "--limit-per-s must be in 1..10000, was "
          + limitPerSecond);
    } catch (UsageFailure e) {
      err.println("tgsupport bench sender: " + e.getMessage());
      return UsageFailure.EXIT_CODE;
    }
    SenderBench.Settings settings = new SenderBench.Settings(messages, chats, limitPerSecond);
    err.println("bench: " + messages + " answers to " + chats + " private chats, global limit " + limitPerSecond
        + "/s, against a fake Telegram enforcing the same limit");
    if (chats < limitPerSecond) {
      err.println("bench: note: " + chats + " chats at 1 message a second each cannot use a limit of "
          + limitPerSecond + "/s; give --chats " + limitPerSecond + " or more to measure the global limit");
    }
    err.flush();
    SenderBench.Result r = new SenderBench(settings, err).run();
    err.println(String.format(Locale.ROOT, "bench: %d sent, %d failed; the fake saw at most %d messages in one"
        + " second overall, %d requests during a retry_after lock", r.sent(), r.failed(), r.maxGlobalPerSecond(),
        r.violationsDuringRetryAfter()));
    if (!r.pace().isEmpty()) {
      err.println("bench: " + r.pace());
    }
    err.flush();
    PrintWriter out = io.out();
    for (String line : r.lines()) {
      out.println(line);
    }
    out.flush();
    if (r.failed() > 0) {
      throw new TgSupportCli.CliFailure(r.failed() + " of " + messages + " sends failed; the first: "
          + r.firstFailure());
    }
    return 0;
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new UsageFailure(problem);
    }
  }
}
