package dev.tgsupport.kaiten;

import dev.tgsupport.kaiten.fake.FakeKaitenServer;
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
}
