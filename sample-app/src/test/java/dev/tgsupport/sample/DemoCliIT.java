package dev.tgsupport.sample;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged {@code target/tgsupport.jar} as a separate process, the way users do. */
class DemoCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path jar;

  @TempDir Path dir;

  @BeforeAll
  static void findJar() {
    jar = Path.of(System.getProperty("basedir", ".")).resolve("target/tgsupport.jar").toAbsolutePath();
    assertThat(jar).as("the shaded jar; run 'mvn verify' so the package phase builds it").isRegularFile();
  }

  record Run(int exit, String out, String err) {
    List<JsonNode> json() {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isEmpty()) {
          try {
            nodes.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
          }
        }
      }
      return nodes;
    }
  }

  private static Run java(byte[] stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A platform charset other than UTF-8 must not change what the program reads or writes.
    command.add("-Dfile.encoding=ISO-8859-1");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tgsupport did not finish within 60 s");
    }
    return new Run(p.exitValue(), new String(out.get(), UTF_8), new String(err.get(), UTF_8));
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  /** The default storage: an embedded PostgreSQL the jar starts, migrates and deletes again. */
  @Test
  void demoJsonAnswersIgnoresNoiseOpensTicketsAndSurvivesBadBytes() throws Exception {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes("привет\n".getBytes(UTF_8));
    in.writeBytes("thanks!\n".getBytes(UTF_8));
    in.writeBytes("How do I reset my password?\n".getBytes(UTF_8));
    in.writeBytes("Как сбросить пароль?\n".getBytes(UTF_8));
    in.writeBytes("Why does the calendar view show tasks on the wrong day?\n".getBytes(UTF_8));
    in.writeBytes(new byte[] {'b', 'a', 'd', ' ', (byte) 0xFF, (byte) 0xC0, (byte) 0xED, (byte) 0xA0, (byte) 0x80,
        '\n'});
    in.writeBytes("nul\u0000byte\n".getBytes(UTF_8));
    in.writeBytes(("word ".repeat(20_000) + "\n").getBytes(UTF_8));
    in.writeBytes("\n".getBytes(UTF_8));

    Run r = java(in.toByteArray(), "demo", "--json");

    assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
    assertThat(r.err()).isEmpty();
    List<JsonNode> out = r.json();
    assertThat(out).hasSize(9).allSatisfy(o -> assertThat(keys(o)).isEqualTo(DemoCommandTest.KEYS));

    assertThat(out.get(0).get("text").asText()).isEqualTo("привет");
    assertThat(out.get(0).get("noise").asBoolean()).isTrue();
    assertThat(out.get(0).get("reply").isNull()).isTrue();
    assertThat(out.get(1).get("noise").asBoolean()).isTrue();

    assertThat(out.get(2).get("answer").asText()).contains("Forgot password");
    assertThat(out.get(3).get("answer").asText()).contains("Забыли пароль");

    JsonNode ticket = out.get(4);
    assertThat(ticket.get("ticket_id").isIntegralNumber()).isTrue();
    assertThat(ticket.get("reply").asText()).contains("#" + ticket.get("ticket_id").asLong());

    assertThat(out.get(5).get("text").asText()).startsWith("bad ").contains("\uFFFD");
    assertThat(out.get(6).get("text").asText()).isEqualTo("nul\u0000byte");
    assertThat(out.get(7).get("text").asText()).hasSize(100_000);
    assertThat(out.get(8).get("noise_reason").asText()).isEqualTo("empty");
  }

  @Test
  void embeddedAndMemoryStorageGiveTheSameConversation() throws Exception {
    byte[] in = String.join("\n", "hi", "How do I export my data?", "как выгрузить данные?",
        "позовите оператора", "Why does the calendar view show tasks on the wrong day?", "/status", "")
        .getBytes(UTF_8);
    Run embedded = java(in, "demo", "--json", "--storage", "embedded");
    Run memory = java(in, "demo", "--json", "--storage", "memory");
    assertThat(embedded.exit()).as("stderr: %s", embedded.err()).isZero();
    assertThat(embedded.err()).isEmpty();
    assertThat(memory.exit()).isZero();
    assertThat(embedded.json()).hasSize(6);
    assertThat(embedded.out()).isEqualTo(memory.out());
  }

  @Test
  void malformedKnowledgeFileExitsOneWithOneLine() throws Exception {
    Path bad = dir.resolve("kb.csv");
    Files.writeString(bad, "question,answer\nQ1,A1,extra\n");
    Run r = java(new byte[0], "demo", "--json", "--knowledge", bad.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(
        "tgsupport demo: " + bad + ": line 2: expected 2 fields as in the header, found 3\n");
  }

  @Test
  void helpExitsZeroAndListsDemo() throws Exception {
    Run r = java(new byte[0], "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("demo", "migrate", "Commands:");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void versionExitsZero() throws Exception {
    Run r = java(new byte[0], "--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("tgsupport ");
  }
}
