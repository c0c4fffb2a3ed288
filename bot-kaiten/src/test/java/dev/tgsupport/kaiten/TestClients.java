package dev.tgsupport.kaiten;

import com.sun.net.httpserver.HttpServer;
import dev.tgsupport.kaiten.fake.FakeKaitenServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Clients and configurations pointed at a {@link FakeKaitenServer}, with short waits for tests. */
final class TestClients {

  private TestClients() {}

  /** The fake's board, queue column, lane, card type and Telegram properties, and the tag "telegram". */
  static KaitenConfig.Builder config(FakeKaitenServer kaiten) {
    return KaitenConfig.builder()
        .baseUrl(kaiten.apiUrl())
        .token(kaiten.token())
        .boardId(FakeKaitenServer.BOARD_ID)
        .columnId(FakeKaitenServer.QUEUE_COLUMN_ID)
        .laneId(FakeKaitenServer.LANE_ID)
        .cardTypeId(FakeKaitenServer.CARD_TYPE_ID)
        .telegramUserPropertyId(FakeKaitenServer.TELEGRAM_USER_PROPERTY_ID)
        .telegramChatPropertyId(FakeKaitenServer.TELEGRAM_CHAT_PROPERTY_ID)
        .tags(List.of("telegram"))
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(5));
  }

  /** Backoffs in tens of milliseconds instead of seconds. */
  static KaitenClient.Tuning fastTuning() {
    return KaitenClient.Tuning.defaults()
        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
        .withRateLimitFallback(Duration.ofMillis(100));
  }

  /** A fast client (50 requests per second, short backoffs) for a fake without a rate limit. */
  static KaitenClient fastClient(FakeKaitenServer kaiten) {
    return new KaitenClient(config(kaiten).requestsPerSecond(50).build(), fastTuning());
  }

  /**
   * Mounts the bridge's webhook handler on a new loopback server under a fresh secret and registers it with the fake,
   * as an admin would in Kaiten; the caller stops the server.
   */
  static HttpServer listenToWebhooks(FakeKaitenServer kaiten, KaitenBridge bridge) throws IOException {
    String secret = KaitenBridge.newWebhookSecret();
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/kaiten/webhook/" + secret, bridge.webhookHandler(secret));
    http.start();
    kaiten.registerWebhook("http://127.0.0.1:" + http.getAddress().getPort() + "/kaiten/webhook/" + secret);
    return http;
  }
}
