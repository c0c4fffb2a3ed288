package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageSplitterTest {

  @Test
  void aShortTextIsOnePart() {
    assertThat(MessageSplitter.split("hello", 4096)).containsExactly("hello");
    String exactly = "x".repeat(4096);
    assertThat(MessageSplitter.split(exactly, 4096)).containsExactly(exactly);
  }

  @Test
  void prefersParagraphsThenLinesThenSentencesThenWords() {
    String p1 = "a".repeat(60);
    String p2 = "b".repeat(30);
    assertThat(MessageSplitter.split(p1 + "\n\n" + p2, 80)).containsExactly(p1, p2);
    assertThat(MessageSplitter.split(p1 + "\n" + p2, 80)).containsExactly(p1, p2);
    String s1 = "First sentence is here and it is long enough. ";
    String s2 = "Second one goes on and on without any end at all";
    assertThat(MessageSplitter.split(s1 + s2, 60)).containsExactly(s1.strip(), s2);
    String words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda";
    List<String> parts = MessageSplitter.split(words, 20);
    assertThat(String.join(" ", parts)).isEqualTo(words);
    assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(20));
  }

  @Test
  void neverCutsASurrogatePair() {
    String emoji = "😀".repeat(3000); // 6000 UTF-16 units, no spaces at all
    List<String> parts = MessageSplitter.split(emoji, 4096);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0)).hasSize(4096);
    assertThat(String.join("", parts)).isEqualTo(emoji);
    String odd = "x" + "😀".repeat(3000);
    List<String> oddParts = MessageSplitter.split(odd, 4096);
    assertThat(oddParts.get(0)).hasSize(4095);
    for (String p : oddParts) {
      assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
      assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse();
    }
    assertThat(String.join("", oddParts)).isEqualTo(odd);
  }

  @Test
  void keepsALinkWholeWhenThereIsASpaceBeforeIt() {
    String link = "https://example.com/" + "p".repeat(60);
    String text = "see " + "w".repeat(30) + " " + link;
    List<String> parts = MessageSplitter.split(text, 90);
    assertThat(parts).contains(link);
  }

  @Test
  void randomTextsRoundTripAndEveryPartFits() {
    Random random = new Random(7);
    String alphabet = "абв gde. \n\n😀xyz!?\n ";
    for (int i = 0; i < 500; i++) {
      int n = 1 + random.nextInt(20_000);
      StringBuilder sb = new StringBuilder(n);
      while (sb.length() < n) {
        int at = random.nextInt(alphabet.length());
        char c = alphabet.charAt(at);
        if (Character.isHighSurrogate(c)) {
          sb.append(c).append(alphabet.charAt(at + 1));
        } else if (!Character.isLowSurrogate(c)) {
          sb.append(c);
        }
      }
      String text = sb.toString();
      List<String> parts = MessageSplitter.split(text, 4096);
      for (String p : parts) {
        assertThat(p.length()).isLessThanOrEqualTo(4096);
        assertThat(p.isEmpty() || !Character.isLowSurrogate(p.charAt(0))).isTrue();
      }
      // Only whitespace at the cuts may be dropped.
      assertThat(String.join("", parts).replaceAll("\\s", "")).isEqualTo(text.replaceAll("\\s", ""));
      if (!text.isBlank()) {
        assertThat(parts).noneMatch(String::isBlank);
      }
    }
  }

  @Test
  void refusesAnAbsurdMaximum() {
    assertThatThrownBy(() -> MessageSplitter.split("abc", 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
