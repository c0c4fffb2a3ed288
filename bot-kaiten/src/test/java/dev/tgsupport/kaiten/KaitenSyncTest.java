package dev.tgsupport.kaiten;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KaitenSyncTest {
  @Test
  void longAnswersAreCutToTelegramsLimitWithoutSplittingASurrogatePair() {
    String longText = "😀".repeat(3000);
    String cut = KaitenSync.cut(longText);
    assertThat(cut.length()).isLessThanOrEqualTo(4096);
    assertThat(cut).endsWith("support can send the rest)");
    assertThat(Character.isHighSurrogate(cut.charAt(cut.indexOf("\n\n[…]") - 1))).isFalse();
    assertThat(KaitenSync.cut("short")).isEqualTo("short");
  }
}
