package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.core.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookServerTest {
  static {
    // Debug lines too, so the no-secret-in-logs test sees everything the webhook can log. Read when each logger is
    // created, which is after this for the webhook classes.
    System.setProperty("org.slf4j.simpleLogger.log.dev.tgsupport.telegram.WebhookHandler", "debug");
    System.setProperty("org.slf4j.simpleLogger.log.dev.tgsupport.telegram.WebhookServer", "debug");
  }

  private static final String SECRET = "s3cr3t-Webhook_Token-0123456789";
  private static final String JSON = "application/json";
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final List<WebhookServer> servers = new ArrayList<>();
  private final List<RawUpdates.Raw> received = new CopyOnWriteArrayList<>();
  private final UpdateSink recording = updates -> {
    received.addAll(updates);
    return updates.size();
  };

  @AfterEach
  void stopServers() {
    servers.forEach(s -> s.stop(Duration.ZERO));
  }

  // --- the happy path and the checks, one by one ---

  @Test
  void rightSecretIsAcceptedAndTheSinkGetsTheUpdate() throws Exception {
    WebhookServer server = start(recording);

    HttpResponse<String> r = post(server, SECRET, JSON, update(10, "hi"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"ok\":true}");
    assertThat(received).singleElement().satisfies(raw -> {
      assertThat(raw.updateId()).isEqualTo(10);
      assertThat(raw.kind()).isEqualTo("message");
      assertThat(raw.parsed().message().text()).isEqualTo("hi");
      assertThat(raw.parseError()).isNull();
    });
    assertThat(server.stats()).isEqualTo(new WebhookServer.Stats(1, 0, 0, 0, 0));
  }

  @Test
  void wrongOrMissingSecretIsForbiddenWithoutDetailAndNeverReachesTheSink() throws Exception {
    WebhookServer server = start(recording);

    HttpResponse<String> wrong = post(server, SECRET + "x", JSON, update(10, "hi"));
    HttpResponse<String> prefix = post(server, SECRET.substring(0, 5), JSON, update(11, "hi"));
    HttpResponse<String> missing = post(server, null, JSON, update(12, "hi"));

    for (HttpResponse<String> r : List.of(wrong, prefix, missing)) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).isEmpty();
    }
    assertThat(received).isEmpty();
    assertThat(server.stats().rejectedSecret()).isEqualTo(3);
  }

  @Test
  void secretIsComparedWithMessageDigestIsEqualOnUtf8Bytes() {
    byte[] expected = SECRET.getBytes(StandardCharsets.UTF_8);

    assertThat(WebhookHandler.secretMatches(expected, SECRET)).isTrue();
    assertThat(WebhookHandler.secretMatches(expected, null)).isFalse();
    assertThat(WebhookHandler.secretMatches(expected, "")).isFalse();
    assertThat(WebhookHandler.secretMatches(expected, SECRET.substring(0, SECRET.length() - 1))).isFalse();
    assertThat(WebhookHandler.secretMatches(expected, SECRET + "0")).isFalse();
    assertThat(WebhookHandler.secretMatches(expected, SECRET.toUpperCase())).isFalse();
    // A non-ASCII header never equals an ASCII secret, whatever its length in chars.
    assertThat(WebhookHandler.secretMatches("ab".getBytes(StandardCharsets.UTF_8), "é")).isFalse();
  }

  @Test
  void onlyPostIsAllowed() throws Exception {
    WebhookServer server = start(recording);

    HttpResponse<String> get = send(HttpRequest.newBuilder(server.url()).GET()
        .header(WebhookHandler.SECRET_HEADER, SECRET));
    HttpResponse<String> put = send(HttpRequest.newBuilder(server.url())
        .PUT(HttpRequest.BodyPublishers.ofString(update(10, "hi")))
        .header(WebhookHandler.SECRET_HEADER, SECRET).header("Content-Type", JSON));

    for (HttpResponse<String> r : List.of(get, put)) {
      assertThat(r.statusCode()).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }
    assertThat(received).isEmpty();
  }

  @Test
  void onlyJsonContentTypesAreAccepted() throws Exception {
    WebhookServer server = start(recording);

    assertThat(post(server, SECRET, "text/plain", update(10, "hi")).statusCode()).isEqualTo(415);
    assertThat(post(server, SECRET, "application/x-www-form-urlencoded", update(11, "hi")).statusCode())
        .isEqualTo(415);
    assertThat(post(server, SECRET, null, update(12, "hi")).statusCode()).isEqualTo(415);
    assertThat(post(server, SECRET, "application/json; charset=nonsense-42", update(13, "hi")).statusCode())
        .isEqualTo(415);
    assertThat(received).isEmpty();

    assertThat(post(server, SECRET, "application/json; charset=UTF-8", update(14, "hi")).statusCode())
        .isEqualTo(200);
    assertThat(post(server, SECRET, "Application/JSON;charset=\"utf-8\"", update(15, "hi")).statusCode())
        .isEqualTo(200);
    assertThat(received).extracting(RawUpdates.Raw::updateId).containsExactly(14L, 15L);
    assertThat(server.stats().rejectedBody()).isEqualTo(4);
  }

  @Test
  void jsonCharsetReadsTheParameterAndDefaultsToUtf8() {
    assertThat(WebhookHandler.jsonCharset("application/json")).isEqualTo(StandardCharsets.UTF_8);
    assertThat(WebhookHandler.jsonCharset("application/json; charset=ISO-8859-1"))
        .isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(WebhookHandler.jsonCharset("application/json;boundary=x")).isEqualTo(StandardCharsets.UTF_8);
    assertThat(WebhookHandler.jsonCharset("application/jsonp")).isNull();
    assertThat(WebhookHandler.jsonCharset("text/json")).isNull();
    assertThat(WebhookHandler.jsonCharset(null)).isNull();
  }

  @Test
  void onlyTheExactPathIsServed() throws Exception {
    WebhookServer server = start(recording);
    URI below = URI.create(server.url() + "/more");

    HttpResponse<String> r = send(HttpRequest.newBuilder(below)
        .POST(HttpRequest.BodyPublishers.ofString(update(10, "hi")))
        .header(WebhookHandler.SECRET_HEADER, SECRET).header("Content-Type", JSON));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(received).isEmpty();
  }

  @Test
  void bodyWithoutUpdateIdIsABadRequestNotARetry() throws Exception {
    WebhookServer server = start(recording);

    assertThat(post(server, SECRET, JSON, "{\"message\":{\"message_id\":1}}").statusCode()).isEqualTo(400);
    assertThat(post(server, SECRET, JSON, "not json at all").statusCode()).isEqualTo(400);
    assertThat(post(server, SECRET, JSON, "[" + update(10, "hi") + "]").statusCode()).isEqualTo(400);
    assertThat(post(server, SECRET, JSON, "").statusCode()).isEqualTo(400);
    assertThat(received).isEmpty();
    assertThat(server.stats().rejectedBody()).isEqualTo(4);
  }

  @Test
  void updateWithAnIdButABrokenPayloadStillGoesToTheSinkToBeKeptRaw() throws Exception {
    WebhookServer server = start(recording);

    HttpResponse<String> r = post(server, SECRET, JSON, "{\"update_id\":77,\"message\":{\"message_id\":\"x\"");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(received).singleElement().satisfies(raw -> {
      assertThat(raw.updateId()).isEqualTo(77);
      assertThat(raw.parseError()).isNotNull();
    });
  }

  // --- body size ---

  @Test
  void declaredOversizedBodyIsRefusedWithoutReadingIt() throws Exception {
    WebhookServer server = start(builder(recording).maxBodyBytes(1024));
    String big = update(10, "x".repeat(2000));

    HttpResponse<String> r = post(server, SECRET, JSON, big);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(received).isEmpty();
    assertThat(server.stats().rejectedBody()).isEqualTo(1);
    // Exactly at the cap is still fine.
    String exact = update(11, "y");
    WebhookServer tight = start(builder(recording).maxBodyBytes(exact.getBytes(StandardCharsets.UTF_8).length));
    assertThat(post(tight, SECRET, JSON, exact).statusCode()).isEqualTo(200);
  }

  @Test
  void streamedHugeBodyIsCutOffAtTheCap() throws Exception {
    WebhookServer server = start(builder(recording).maxBodyBytes(64 * 1024));
    long fiftyMb = 50L * 1024 * 1024;
    AtomicLong produced = new AtomicLong();
    // No Content-Length (chunked): the server can only find out by reading, and must stop at the cap.
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return read(new byte[1], 0, 1) < 0 ? -1 : 'x';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        long left = fiftyMb - produced.get();
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        produced.addAndGet(n);
        return n;
      }
    };
    HttpRequest request = HttpRequest.newBuilder(server.url())
        .timeout(Duration.ofSeconds(20))
        .header(WebhookHandler.SECRET_HEADER, SECRET)
        .header("Content-Type", JSON)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless))
        .build();

    long t0 = System.nanoTime();
    Integer status;
    try {
      status = CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      // Equally fine: the server closed the connection while the client was still sending.
      status = null;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    if (status != null) {
      assertThat(status).isEqualTo(413);
    }
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(produced.get()).as("bytes the client got to send").isLessThan(fiftyMb / 2);
    assertThat(server.stats().rejectedBody()).isEqualTo(1);
    assertThat(received).isEmpty();
    // The server is still healthy.
    assertThat(post(server, SECRET, JSON, update(10, "hi")).statusCode()).isEqualTo(200);
  }

  // --- duplicates and failures ---

  @Test
  void duplicateUpdateIdIsAnsweredOkButStoredOnce() throws Exception {
    WebhookServer server = start(recording);

    assertThat(post(server, SECRET, JSON, update(10, "hi")).statusCode()).isEqualTo(200);
    HttpResponse<String> again = post(server, SECRET, JSON, update(10, "hi"));

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).isEqualTo("{\"ok\":true}");
    assertThat(received).hasSize(1);
    assertThat(server.stats()).isEqualTo(new WebhookServer.Stats(1, 1, 0, 0, 0));
  }

  @Test
  void dedupWindowIsBoundedSoOldIdsAreForgotten() throws Exception {
    WebhookServer server = start(builder(recording).recentUpdateIds(2));

    for (long id : new long[] {1, 2, 3, 1}) {
      assertThat(post(server, SECRET, JSON, update(id, "hi")).statusCode()).isEqualTo(200);
    }

    // 1 fell out of the two-id window when 3 came, so its late redelivery is stored again.
    assertThat(received).extracting(RawUpdates.Raw::updateId).containsExactly(1L, 2L, 3L, 1L);
  }

  @Test
  void storageFailureAnswers503AndTheRedeliveryIsAccepted() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WebhookServer server = start(updates -> {
      received.addAll(updates);
      return calls.incrementAndGet() == 1 ? 0 : updates.size();
    });

    HttpResponse<String> first = post(server, SECRET, JSON, update(10, "hi"));
    HttpResponse<String> redelivery = post(server, SECRET, JSON, update(10, "hi"));

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(redelivery.statusCode()).isEqualTo(200);
    assertThat(calls).hasValue(2);
    assertThat(server.stats()).isEqualTo(new WebhookServer.Stats(1, 0, 0, 0, 1));
  }

  @Test
  void sinkExceptionAnswers500AndTheServerKeepsWorking() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WebhookServer server = start(updates -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("storage exploded");
      }
      received.addAll(updates);
      return updates.size();
    });

    assertThat(post(server, SECRET, JSON, update(10, "hi")).statusCode()).isEqualTo(500);
    assertThat(post(server, SECRET, JSON, update(10, "hi")).statusCode()).isEqualTo(200);
    assertThat(post(server, SECRET, JSON, update(11, "hi")).statusCode()).isEqualTo(200);

    assertThat(received).extracting(RawUpdates.Raw::updateId).containsExactly(10L, 11L);
    assertThat(server.stats()).isEqualTo(new WebhookServer.Stats(2, 0, 0, 0, 1));
  }

  @Test
  void sinkErrorDoesNotKillTheServer() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WebhookServer server = start(updates -> {
      if (calls.incrementAndGet() == 1) {
        throw new AssertionError("a bug in the sink");
      }
      return updates.size();
    });

    assertThat(post(server, SECRET, JSON, update(10, "hi")).statusCode()).isEqualTo(500);
    assertThat(post(server, SECRET, JSON, update(10, "hi")).statusCode()).isEqualTo(200);
  }

  // --- concurrency ---

  @Test
  void concurrentDistinctUpdatesAreEachAcceptedExactlyOnce() throws Exception {
    Map<Long, AtomicInteger> seen = new ConcurrentHashMap<>();
    WebhookServer server = start(updates -> {
      updates.forEach(u -> seen.computeIfAbsent(u.updateId(), k -> new AtomicInteger()).incrementAndGet());
      return updates.size();
    });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 25; i++) {
            long id = 1000 + thread * 25L + i;
            ok += post(server, SECRET, JSON, update(id, "m" + id)).statusCode() == 200 ? 1 : 0;
          }
          return ok;
        }));
      }
      int ok = 0;
      for (Future<Integer> f : results) {
        ok += f.get(30, TimeUnit.SECONDS);
      }

      assertThat(ok).isEqualTo(200);
      assertThat(seen).hasSize(200);
      assertThat(seen.values()).allSatisfy(n -> assertThat(n).hasValue(1));
      assertThat(server.stats()).isEqualTo(new WebhookServer.Stats(200, 0, 0, 0, 0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentDeliveriesOfTheSameUpdateReachTheSinkOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WebhookServer server = start(updates -> {
      calls.incrementAndGet();
      sleep(100); // a slow storage write keeps the first delivery in flight while the others arrive
      return updates.size();
    });
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          go.await();
          return post(server, SECRET, JSON, update(42, "same")).statusCode();
        }));
      }
      go.countDown();
      for (Future<Integer> f : results) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(200);
      }

      assertThat(calls).hasValue(1);
      assertThat(server.stats()).isEqualTo(new WebhookServer.Stats(1, 7, 0, 0, 0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentRedeliveryOfAFailingUpdateIsNotAcknowledged() throws Exception {
    CountDownLatch inSink = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WebhookServer server = start(updates -> {
      inSink.countDown();
      await(release);
      return 0;
    });
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> first = pool.submit(() -> post(server, SECRET, JSON, update(42, "x")).statusCode());
      assertThat(inSink.await(5, TimeUnit.SECONDS)).isTrue();
      Future<Integer> second = pool.submit(() -> post(server, SECRET, JSON, update(42, "x")).statusCode());
      sleep(100); // let the second request reach the in-flight wait
      release.countDown();

      // Acknowledging the second one would lose the update: neither was stored.
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(503);
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(503);
    } finally {
      pool.shutdownNow();
    }
  }

  // --- mounting, lifecycle, configuration ---

  @Test
  void mountsOnAnExistingServerAndLeavesItRunningOnStop() throws Exception {
    HttpServer app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    app.createContext("/health", ex -> {
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    app.start();
    try {
      WebhookServer webhook = WebhookServer.builder().sink(recording).secretToken(SECRET).existingServer(app)
          .path("/hooks/tg").start();

      assertThat(webhook.port()).isEqualTo(app.getAddress().getPort());
      assertThat(webhook.url().getPath()).isEqualTo("/hooks/tg");
      assertThat(post(webhook, SECRET, JSON, update(10, "hi")).statusCode()).isEqualTo(200);
      assertThat(received).hasSize(1);

      webhook.stop(Duration.ofSeconds(1));

      assertThat(post(webhook, SECRET, JSON, update(11, "hi")).statusCode()).isEqualTo(404);
      URI health = URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/health");
      assertThat(send(HttpRequest.newBuilder(health).GET()).statusCode()).isEqualTo(204);
      assertThat(received).hasSize(1);
    } finally {
      app.stop(0);
    }
  }

  @Test
  void existingServerCannotBeCombinedWithAnAddressOrExecutor() throws Exception {
    HttpServer app = HttpServer.create();

    assertThatThrownBy(() -> builder(recording).existingServer(app).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("webhook.existingServer cannot be combined with bindAddress or port: it is already bound");
    assertThatThrownBy(() -> WebhookServer.builder().sink(recording).secretToken(SECRET).existingServer(app)
        .executor(Runnable::run).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("webhook.existingServer cannot be combined with executor: it uses its own");
  }

  @Test
  void stopIsQuickIdempotentAndFinal() throws Exception {
    WebhookServer server = start(recording);
    URI url = server.url();

    long t0 = System.nanoTime();
    server.stop(Duration.ofSeconds(5));
    server.close();

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThatThrownBy(() -> send(HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString("{}"))))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("webhook server was already stopped; build a new one to listen again");
  }

  @Test
  void startTwiceIsRefusedAndPortNeedsAStart() {
    WebhookServer server = builder(recording).build();
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class)
        .hasMessage("webhook server not started");
    servers.add(server.start());

    assertThat(server.port()).isPositive();
    assertThat(server.url()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/telegram/webhook"));
    assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
        .hasMessage("webhook server was already started; build a new one to listen again");
  }

  @Test
  void defaultBindAddressIsAllInterfacesAndUrlIsLoopback() throws Exception {
    WebhookServer server = WebhookServer.builder().sink(recording).secretToken(SECRET).port(0).start();
    servers.add(server);

    assertThat(server.url()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/telegram/webhook"));
    assertThat(post(server, SECRET, JSON, update(10, "hi")).statusCode()).isEqualTo(200);
    assertThat(server.toString()).contains(":" + server.port()).contains("path=/telegram/webhook");
  }

  @Test
  void secretTokenIsValidatedLikeTelegramWithoutEchoingIt() {
    String message = "webhook.secretToken must be 1-256 characters of A-Z, a-z, 0-9, _ and - (the value is not shown)";
    for (String bad : new String[] {"", "has space", "dot.ted", "ключ", "x".repeat(257), "tab\there"}) {
      assertThatThrownBy(() -> WebhookServer.builder().secretToken(bad))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(message)
          .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("webhook.secretToken"));
    }
    assertThatThrownBy(() -> WebhookServer.builder().secretToken(null)).hasMessage(message);
    assertThatThrownBy(() -> WebhookServer.validateSecret("bad secret!")).hasMessage(message);

    WebhookServer.builder().secretToken("x".repeat(256)).secretToken("A-z_0");
    WebhookServer.validateSecret("abc-DEF_123");
  }

  @Test
  void secretIsRequiredUnlessExplicitlyWaived() throws Exception {
    assertThatThrownBy(() -> WebhookServer.builder().sink(recording).port(0).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("webhook.secretToken is required; call allowNoSecret() to accept unauthenticated webhook requests"
            + " on purpose");

    WebhookServer open = start(WebhookServer.builder().sink(recording).allowNoSecret().bindAddress(loopback()));
    assertThat(post(open, null, JSON, update(10, "hi")).statusCode()).isEqualTo(200);
    assertThat(open.toString()).contains("secret=none");
  }

  @Test
  void otherSettingsAreValidatedNamingTheField() {
    assertThatThrownBy(() -> WebhookServer.builder().port(70000))
        .hasMessage("webhook.port must be 0..65535, was 70000");
    assertThatThrownBy(() -> WebhookServer.builder().path("telegram"))
        .hasMessage("webhook.path must start with / and contain no spaces, ? or #, was \"telegram\"");
    assertThatThrownBy(() -> WebhookServer.builder().maxBodyBytes(0))
        .hasMessage("webhook.maxBodyBytes must be > 0, was 0");
    assertThatThrownBy(() -> WebhookServer.builder().recentUpdateIds(-1))
        .hasMessage("webhook.recentUpdateIds must be > 0, was -1");
    assertThatThrownBy(() -> WebhookServer.builder().secretToken(SECRET).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("webhook sink is missing; start the webhook through TelegramAdapter");
  }

  @Test
  void secretNeverAppearsInToStringOrLogs() throws Exception {
    String wrongGuess = "guessed-Secret-Value-987";
    String privateText = "PRIVATE-MESSAGE-TEXT-31337";
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    WebhookServer server;
    try {
      AtomicInteger calls = new AtomicInteger();
      server = start(updates -> switch (calls.incrementAndGet()) {
        case 1 -> 0;
        case 2 -> throw new IllegalStateException("storage exploded");
        default -> updates.size();
      });
      post(server, SECRET, JSON, update(10, privateText)); // 503
      post(server, SECRET, JSON, update(10, privateText)); // 500
      post(server, SECRET, JSON, update(10, privateText)); // 200
      post(server, SECRET, JSON, update(10, privateText)); // duplicate
      post(server, wrongGuess, JSON, update(11, privateText)); // 403
      post(server, SECRET, JSON, "{\"message\":{\"text\":\"" + privateText + "\"}}"); // 400
      post(server, SECRET, "text/plain", update(12, privateText)); // 415
      server.stop(Duration.ZERO);
    } finally {
      System.setErr(originalErr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);

    assertThat(log)
        .contains("update 10 (message) not stored")
        .contains("update 10 (message) from the webhook could not be handed over")
        .contains("secret token missing or wrong")
        .doesNotContain(SECRET)
        .doesNotContain(wrongGuess)
        .doesNotContain(privateText);
    assertThat(server.toString()).doesNotContain(SECRET).contains("secret=set");
    assertThat(WebhookServer.builder().secretToken(SECRET).toString()).doesNotContain(SECRET);
  }

  // --- helpers ---

  private WebhookServer.Builder builder(UpdateSink sink) {
    return WebhookServer.builder().sink(sink).secretToken(SECRET).bindAddress(loopback());
  }

  private WebhookServer start(UpdateSink sink) {
    return start(builder(sink));
  }

  private WebhookServer start(WebhookServer.Builder builder) {
    WebhookServer server = builder.start();
    servers.add(server);
    return server;
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  /** A real webhook body: one private-chat text message. */
  private static String update(long updateId, String text) {
    return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":1,\"date\":1700000000,"
        + "\"chat\":{\"id\":5,\"type\":\"private\",\"first_name\":\"A\"},"
        + "\"from\":{\"id\":5,\"is_bot\":false,\"first_name\":\"A\"},\"text\":\"" + text + "\"}}";
  }

  private static HttpResponse<String> post(WebhookServer server, String secret, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(server.url()).POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      r.header(WebhookHandler.SECRET_HEADER, secret);
    }
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    return send(r);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
