package dev.tgsupport.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tgsupport.core.model.KnowledgeDraft;
import dev.tgsupport.core.model.KnowledgeHit;
import dev.tgsupport.core.pipeline.MessageContext;
import dev.tgsupport.core.pipeline.Outcome;
import dev.tgsupport.core.pipeline.Pipeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tgsupport demo}: a console chat with the bot, through the whole pipeline, on an embedded PostgreSQL (or in
 * memory, or on a PostgreSQL server: {@code --storage}).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = TgSupportCli.Version.class,
    sortOptions = false,
    optionListHeading = "%nOptions:%n",
    usageHelpAutoWidth = true,
    header = "Chat with the bot in this console, through the whole pipeline, on embedded defaults.",
    description = {
      "Each line you type (or pipe in) is a message from a demo user in a private chat; the bot's replies are"
          + " printed as 'bot> …', and noise and tickets as notes. Noise filter, intent classifier and knowledge"
          + " search run in this process; storage is an embedded PostgreSQL by default (see --storage)."
          + " Ctrl-D ends the chat.",
      "",
      "The bundled knowledge base covers Tasklane, a fictional team task tracker, in Russian and English. Try"
          + " 'How do I reset my password?', 'как выгрузить данные?', 'позовите оператора' or '/help'."
    },
    footerHeading = "%nJSON output (--json), one object per input line:%n",
    footer = {
      "  text                the message as read",
      "  noise               true when the message is noise (never answered)",
      "  noise_reason        why it is noise (greeting, thanks, empty, …), or null",
      "  intent, confidence  the classified intent and its confidence, or null",
      "  answer              the knowledge base answer when it answered, or null",
      "  knowledge_entry_id  the id of the best knowledge hit considered, or null",
      "  score               that hit's score, or null",
      "  ticket_id           the ticket opened for the message, or null",
      "  reply               what the user would see, or null",
      "",
      "Storage (--storage KIND):",
      "  embedded  the default: a throw-away PostgreSQL 18 started for the session, so",
      "            the demo runs the same SQL as a deployment. Needs Linux on x86-64.",
      "            Its binaries are extracted once under java.io.tmpdir/embedded-pg",
      "            (about 60 MB); its data directory is deleted on exit.",
      "  memory    everything in this process: starts fastest, runs anywhere.",
      "  postgres  the database of --database-url URL (or DATABASE_URL), migrated",
      "            first. URL: jdbc:postgresql://HOST:PORT/DB?user=U&password=P",
      "            or postgres://U:P@HOST:PORT/DB; the password is never printed.",
      "            Add currentSchema=NAME to keep the demo in an existing schema.",
      "            The database keeps what the demo stores. Running the demo again",
      "            adds only the knowledge entries whose question is not stored",
      "            yet, and numbers new messages after the stored ones: answers",
      "            stay the same, ticket numbers go on from the last run.",
      "",
      "Exit codes: 0 at end of input; 1 for an unusable --knowledge file or a",
      "database that cannot be started, reached or migrated; 2 for a usage error."
    })
final class DemoCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIM = "\u001B[2m";
  private static final String RESET = "\u001B[0m";

  @Option(
      names = "--json",
      description = "Print one JSON object per input line instead of the chat (for scripts and tests);"
          + " nothing else goes to stdout.")
  private boolean json;

  @Option(
      names = "--knowledge",
      paramLabel = "FILE",
      description = "Load the knowledge base from FILE instead of the bundled one: CSV with a 'question,answer'"
          + " header and an optional 'tags' column (tags separated by ';'), or a JSON array of"
          + " {\"question\", \"answer\", \"tags\": [...]} objects. UTF-8. The format follows the extension"
          + " (.csv, .json), else the first character. Every entry counts as validated.")
  private Path knowledge;

  @Option(
      names = "--storage",
      paramLabel = "KIND",
      converter = DemoStorage.Kind.Converter.class,
      completionCandidates = DemoStorage.Kind.Names.class,
      description = "Where the demo stores users, messages, tickets and the knowledge base: ${COMPLETION-CANDIDATES}"
          + " (default: embedded). See 'Storage' below.")
  private DemoStorage.Kind storage = DemoStorage.Kind.EMBEDDED;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description = "The PostgreSQL database for --storage postgres (see 'Storage' below). Default: the"
          + " DATABASE_URL environment variable.")
  private String databaseUrl;

  @Option(
      names = "--no-color",
      description = "Do not dim the notes with ANSI escapes (they are dimmed only when stdout is a terminal;"
          + " NO_COLOR is honoured too).")
  private boolean noColor;

  private final Io io;

  DemoCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    DatabaseUrlOption url;
    try {
      url = databaseUrl();
    } catch (UsageFailure e) {
      io.err().println("tgsupport demo: " + e.getMessage());
      return UsageFailure.EXIT_CODE;
    }
    // The knowledge file first: a typo in it should not cost a database start.
    List<KnowledgeDraft> drafts = loadKnowledge();
    DemoStorage store;
    try {
      store = DemoStorage.open(storage, url, io.err());
    } catch (UsageFailure e) {
      io.err().println("tgsupport demo: " + e.getMessage());
      return UsageFailure.EXIT_CODE;
    }
    try (store) {
      Pipeline pipeline;
      try {
        pipeline = DemoBot.pipeline(store.transactions(), drafts);
      } catch (RuntimeException e) {
        throw new TgSupportCli.CliFailure("cannot store the knowledge base: "
            + (url == null ? e.getMessage() : url.failure(e)));
      }
      return chat(pipeline, drafts.size(), DemoBot.nextMessageId(store.transactions()));
    }
  }

  /** {@code --database-url} belongs to {@code --storage postgres}, which needs a URL. */
  private DatabaseUrlOption databaseUrl() {
    if (storage != DemoStorage.Kind.POSTGRES) {
      if (databaseUrl != null) {
        throw new UsageFailure("--database-url is for --storage postgres (the storage is " + storage.option() + ")");
      }
      return null;
    }
    return DatabaseUrlOption.resolve(databaseUrl);
  }

  private int chat(Pipeline pipeline, int entries, long firstMessageId) {
    PrintWriter out = io.out();
    if (io.interactive() && !json) {
      io.err().println("tgsupport demo: " + entries + " knowledge entries"
          + (knowledge == null ? " (Tasklane, a fictional task tracker)" : " from " + knowledge)
          + (storage == DemoStorage.Kind.MEMORY ? " in memory" : " in PostgreSQL")
          + ". Ask a question; /help lists the commands; Ctrl-D quits.");
    }
    // An explicit charset: InputStreamReader then replaces malformed bytes with U+FFFD instead of failing.
    BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
    long telegramMessageId = firstMessageId;
    while (true) {
      if (io.interactive()) {
        io.err().print("you> ");
        io.err().flush();
      }
      String line;
      try {
        line = in.readLine();
      } catch (IOException e) {
        throw new TgSupportCli.CliFailure("cannot read standard input: " + e.getMessage());
      }
      if (line == null) {
        break;
      }
      String text = Text.replaceLoneSurrogates(line);
      Result result = process(pipeline, telegramMessageId++, text);
      if (json) {
        out.println(toJson(text, result));
      } else {
        print(out, result);
      }
      out.flush();
    }
    if (io.interactive()) {
      io.err().println();
    }
    return 0;
  }

  private List<KnowledgeDraft> loadKnowledge() {
    if (knowledge == null) {
      return DemoBot.bundledKnowledge();
    }
    try {
      return KnowledgeFile.load(knowledge);
    } catch (KnowledgeFileException e) {
      throw new TgSupportCli.CliFailure(e.getMessage());
    }
  }

  /** What one message came to; {@code error} is set when the pipeline itself threw. */
  private record Result(Outcome outcome, String error) {}

  private Result process(Pipeline pipeline, long telegramMessageId, String text) {
    try {
      return new Result(pipeline.process(DemoBot.message(telegramMessageId, text)), null);
    } catch (RuntimeException e) {
      // A demo must survive any input: report the message and go on with the next line.
      String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      io.err().println("tgsupport demo: message " + telegramMessageId + " failed: " + why);
      io.err().flush();
      return new Result(null, why);
    }
  }

  private void print(PrintWriter out, Result result) {
    Outcome o = result.outcome();
    if (o == null) {
      note(out, "failed: " + result.error());
      return;
    }
    if (o.reply() != null) {
      out.println("bot> " + o.reply().replace("\n", "\n     "));
    }
    MessageContext ctx = o.context();
    switch (o.kind()) {
      case NOISE -> note(out, "noise (" + (ctx.noise() == null ? "?" : ctx.noise().reason()) + "): not answered");
      case TICKET -> note(out, "ticket #" + ctx.ticket().id() + " opened");
      case ANSWERED -> note(out, String.format(Locale.ROOT, "answered from knowledge entry #%d (score %.2f)",
          ctx.answer().entry().id(), ctx.answer().score()));
      case CLARIFY -> note(out, String.format(Locale.ROOT,
          "asked to rephrase (closest: knowledge entry #%d, score %.2f)",
          ctx.hits().get(0).entry().id(), ctx.hits().get(0).score()));
      case FAILED -> note(out, "failed in stage '" + o.failure().stage() + "'");
      case DUPLICATE -> note(out, "duplicate: already handled");
      default -> {
        // HANDLED (commands, intent handlers) and UNHANDLED need no note: the reply says it all.
      }
    }
  }

  private void note(PrintWriter out, String text) {
    boolean dim = io.colorOut() && !noColor;
    out.println(dim ? DIM + "  · " + text + RESET : "  · " + text);
  }

  private static String toJson(String text, Result result) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", text);
    Outcome outcome = result.outcome();
    MessageContext ctx = outcome == null ? null : outcome.context();
    boolean noise = ctx != null && ctx.noise() != null && ctx.noise().noise();
    o.put("noise", noise);
    o.put("noise_reason", noise ? ctx.noise().reason() : null);
    if (ctx != null && ctx.intent() != null) {
      o.put("intent", ctx.intent().name());
      o.put("confidence", ctx.intent().confidence());
    } else {
      o.putNull("intent");
      o.putNull("confidence");
    }
    boolean answered = outcome != null && outcome.kind() == Outcome.Kind.ANSWERED && ctx.answer() != null;
    o.put("answer", answered ? ctx.answer().entry().answer() : null);
    KnowledgeHit best = ctx == null ? null : ctx.answer() != null ? ctx.answer() : first(ctx.hits());
    if (best != null) {
      o.put("knowledge_entry_id", best.entry().id());
      o.put("score", best.score());
    } else {
      o.putNull("knowledge_entry_id");
      o.putNull("score");
    }
    if (ctx != null && ctx.ticket() != null) {
      o.put("ticket_id", ctx.ticket().id());
    } else {
      o.putNull("ticket_id");
    }
    o.put("reply", outcome == null ? null : outcome.reply());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KnowledgeHit first(List<KnowledgeHit> hits) {
    return hits.isEmpty() ? null : hits.get(0);
  }

  /** Text clean-up for what comes from the console. */
  static final class Text {
    private Text() {}

    /** Unpaired surrogates cannot be encoded as UTF-8: replace them with U+FFFD so output never fails. */
    static String replaceLoneSurrogates(String s) {
      StringBuilder b = null;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean lone;
        if (Character.isHighSurrogate(c)) {
          lone = i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
          if (!lone) {
            if (b != null) {
              b.append(c).append(s.charAt(i + 1));
            }
            i++;
            continue;
          }
        } else {
          lone = Character.isLowSurrogate(c);
        }
        if (lone && b == null) {
          b = new StringBuilder(s.length()).append(s, 0, i);
        }
        if (b != null) {
          b.append(lone ? '\uFFFD' : c);
        }
      }
      return b == null ? s : b.toString();
    }
  }
}
