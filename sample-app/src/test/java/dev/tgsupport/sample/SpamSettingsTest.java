package dev.tgsupport.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.moderation.SpamModeration;
import dev.tgsupport.core.port.Moderator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpamSettingsTest {
  @TempDir Path dir;

  private static SpamSettings.Spam load(Map<String, String> env) {
    return SpamSettings.load(BotSettings.load(env, null));
  }

  @Test
  void byDefaultSpamIsDeletedNobodyIsRestrictedAndOnlyTheBuiltInChecksRun() {
    SpamSettings.Spam spam = load(Map.of());

    assertThat(spam).isEqualTo(new SpamSettings.Spam(null, true, null));
    SpamModeration m = spam.moderation(Moderator.none());
    assertThat(m.detector().spamSamples()).isZero();
    assertThat(spam.describe(m)).isEqualTo("built-in checks (TGSUPPORT_SPAM_SAMPLES is not set); spam is deleted"
        + " when the bot may; staff teach it with /spam and /notspam");
  }

  @Test
  void samplesLoadFromTgSpamStyleFiles() throws Exception {
    Files.write(dir.resolve("spam-samples.txt"), List.of("buy cheap followers now", "", "casino bonus every day"));
    Files.write(dir.resolve("ham-samples.txt"), List.of("how do I reset my password"));
    SpamSettings.Spam spam = load(Map.of("TGSUPPORT_SPAM_SAMPLES", dir.toString(), "TGSUPPORT_SPAM_RESTRICT", "2h",
        "TGSUPPORT_SPAM_DELETE", "false"));

    SpamModeration m = spam.moderation(Moderator.none());
    assertThat(m.detector().spamSamples()).isEqualTo(2);
    assertThat(m.detector().hamSamples()).isEqualTo(1);
    assertThat(spam.restrict()).isEqualTo(Duration.ofHours(2));
    assertThat(spam.describe(m)).isEqualTo("2 spam and 1 ham samples in all (files in " + dir + " plus what staff"
        + " taught); spam is kept (TGSUPPORT_SPAM_DELETE=false) and its author restricted for 2h; staff teach it"
        + " with /spam and /notspam");
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> load(Map.of("TGSUPPORT_SPAM_RESTRICT", "soon")))
        .isInstanceOf(UsageFailure.class)
        .hasMessage("TGSUPPORT_SPAM_RESTRICT must be a duration such as 30m, 1h or 1d, or off, was 'soon'");
    assertThatThrownBy(() -> load(Map.of("TGSUPPORT_SPAM_DELETE", "yes")))
        .hasMessage("TGSUPPORT_SPAM_DELETE must be true or false, was 'yes'");
    assertThatThrownBy(() -> load(Map.of("TGSUPPORT_SPAM_SAMPLES", dir.resolve("missing").toString())))
        .hasMessageStartingWith("TGSUPPORT_SPAM_SAMPLES must be a directory holding spam-samples.txt");
    assertThatThrownBy(() -> load(Map.of("TGSUPPORT_SPAM_SAMPLES", dir.toString())))
        .hasMessageEndingWith("holds none of spam-samples.txt, ham-samples.txt, stop-words.txt");
    assertThat(load(Map.of("TGSUPPORT_SPAM_RESTRICT", "off")).restrict()).isNull();
  }
}
