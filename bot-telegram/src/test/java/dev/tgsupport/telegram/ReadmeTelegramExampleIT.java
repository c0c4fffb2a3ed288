package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tgsupport.core.memory.InMemoryStorage;
import dev.tgsupport.core.pipeline.Pipeline;
import dev.tgsupport.telegram.fake.FakeTelegramServer;
import dev.tgsupport.telegram.fake.UpdateSamples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README's Telegram example running, and identical to the code between the markers below. */
class ReadmeTelegramExampleIT {

  @Test
  void theReadmeExampleAnswersThroughTelegram() throws Exception {
    try (FakeTelegramServer fake = FakeTelegramServer.start()) {
      InMemoryStorage storage = InMemoryStorage.create();
      String token = fake.token();
      String apiUrl = fake.apiUrl();
      // README:begin
      TelegramAdapter telegram = TelegramAdapter.builder()
          .token(token)                          // from @BotFather, e.g. System.getenv("TELEGRAM_BOT_TOKEN")
          .apiUrl(apiUrl)                        // optional: Telegram's unless you run your own Bot API server
          .transactions(storage)                 // marks users who blocked the bot, follows chat migrations
          .build();
      Pipeline pipeline = Pipeline.builder()
          .transactions(storage)
          .replyGateway(telegram.sender())
          .build();
      telegram.startPolling(pipeline);           // or startWebhook(pipeline, WebhookServer.builder().port(8443)...)
      // on shutdown: telegram.close() lets the messages in flight finish and confirms the polling offset
      // README:end
      fake.enqueue(UpdateSamples.privateText(1, 42, 1, "/help"));
      assertThat(fake.awaitSentMessages(1, Duration.ofSeconds(60))).hasSize(1);
      telegram.close();
      assertThat(fake.confirmedUpTo()).isEqualTo(1);
    }
  }

  @Test
  void theReadmeShowsExactlyThisCode() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("../README.md"));
    Matcher block = Pattern.compile("(?s)### On Telegram.*?```java\\n(.*?)```").matcher(readme);
    assertThat(block.find()).as("README.md has the Telegram example").isTrue();
    String source = Files.readString(Path.of(System.getProperty("basedir", "."))
        .resolve("src/test/java/dev/tgsupport/telegram/ReadmeTelegramExampleIT.java"));
    String marked = source.substring(source.indexOf("// README:begin\n") + "// README:begin\n".length(),
        source.indexOf("      // README:end"));
    assertThat(block.group(1).strip()).isEqualTo(marked.lines().map(l -> l.length() >= 6 ? l.substring(6) : l.strip())
        .reduce((a, b) -> a + "\n" + b).orElse("").strip());
  }
}
