package dev.tgsupport.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} for fault tests, on a free port, with no persistence: it can be killed, frozen and
 * restarted on the same port without touching the shared test Redis.
 */
final class RedisServerProcess implements AutoCloseable {
  private static final String BINARY = "/usr/bin/redis-server";

  private final int port;
  private final String password;
  private final Path dir;
  private Process process;

  private RedisServerProcess(int port, String password) throws IOException {
    this.port = port;
    this.password = password;
    this.dir = Files.createTempDirectory("tgsupport-redis-" + port);
  }

  static RedisServerProcess start() {
    return start(null);
  }

  /** Starts a server that requires {@code password} (none when null). */
  static RedisServerProcess start(String password) {
    try {
      RedisServerProcess server = new RedisServerProcess(freePort(), password);
      server.startProcess();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  private void startProcess() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
    if (password != null) {
      cmd.addAll(List.of("--requirepass", password));
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (answersPing()) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("stdout.log")));
      }
      sleep(20);
    }
    throw new IllegalStateException("redis-server on port " + port + " did not answer within 10 s");
  }

  private boolean answersPing() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      String auth = password == null ? "" : "AUTH " + password + "\r\n";
      out.write((auth + "PING\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[256];
      StringBuilder got = new StringBuilder();
      while (!got.toString().contains("PONG") && !got.toString().contains("LOADING")) {
        int n = in.read(buf);
        if (n < 0) {
          return false;
        }
        got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
      return got.toString().contains("PONG");
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Kills the server like a crash would (SIGKILL): connections drop, nothing is saved. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port, empty. */
  void restart() {
    kill();
    try {
      startProcess();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Freezes the process (SIGSTOP): connections stay open, nothing answers, as with a hung server. */
  void freeze() {
    signal("STOP");
  }

  void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + name + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      thaw();
      kill();
    }
  }
}
