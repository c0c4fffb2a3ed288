package dev.tgsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.metrics.Health.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsEndpointsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Status> storage = new AtomicReference<>(Status.up("ok"));
  private final Health health = Health.builder().cacheFor(Duration.ZERO).required("storage", storage::get)
      .component("redis", () -> Status.degraded("fallback")).build();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    OpsEndpoints.mount(server, registry, health);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    health.close();
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + path)).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsServeThePrometheusTextFormat() throws Exception {
    Counter.builder("tgsupport.answers").register(registry).increment(3);

    HttpResponse<String> r = call("GET", "/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).contains("# TYPE tgsupport_answers_total counter", "tgsupport_answers_total 3.0");
  }

  @Test
  void readinessFollowsTheRequiredComponentsAndListsDegradedOnes() throws Exception {
    HttpResponse<String> ready = call("GET", "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).startsWith("{\"status\":\"ready\"").contains("\"degraded\":[\"redis\"]");

    storage.set(Status.down("connection refused"));
    HttpResponse<String> notReady = call("GET", "/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("\"storage\":{\"state\":\"down\"", "connection refused");

    assertThat(call("GET", "/health/live").statusCode()).as("alive while storage is down").isEqualTo(200);
  }

  @Test
  void otherMethodsAndPathsAreRefused() throws Exception {
    HttpResponse<String> post = call("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(call("GET", "/health/ready/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> head = call("HEAD", "/health/live");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }
}
