package dev.tgsupport.core.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Russian and English text normalisation, the common ground of every model in this package.
 *
 * <p>{@link #normalize} applies Unicode NFKC (so full-width letters and ligatures become plain ones), lower-cases
 * with {@code Locale.ROOT} rules, replaces "ё" with "е", drops combining marks such as stress accents and
 * apostrophes inside words ("don't" → "dont"), turns everything that is not a letter or a digit (punctuation, emoji,
 * control characters, lone surrogates) into a space, and collapses spaces. {@link #tokens} splits the result;
 * {@link #stems} also drops stop words and reduces each word with a light suffix stripper, Snowball-like for
 * Cyrillic words and Porter-like for Latin ones; words mixing scripts or digits are kept as they are.
 *
 * <pre>{@code
 * TextNormalizer n = TextNormalizer.create();
 * n.tokens("Не могу сбросить ПАРОЛЬ!!! 😡");   // [не, могу, сбросить, пароль]
 * n.stems("Не могу сбросить ПАРОЛЬ!!! 😡");    // [сброс, парол]
 * n.charNGrams("Hi all", 3);                  // [_hi, hi_, _al, all, ll_]
 * }</pre>
 *
 * <p>No method throws on any text: null is treated as empty, and time is linear in the length. Stateless and
 * thread-safe: share the instance from {@link #create()}.
 */
public final class TextNormalizer {
  /** Marks the start and the end of a word in {@link #charNGrams}; normalised text never contains it. */
  public static final char WORD_BOUNDARY = '_';

  /** No Russian or English word is longer; longer tokens are junk and stay as they are. */
  private static final int MAX_STEMMED = 40;
  private static final TextNormalizer INSTANCE = new TextNormalizer();

  private TextNormalizer() {}

  /** The shared instance. */
  public static TextNormalizer create() {
    return INSTANCE;
  }

  /**
   * The text lower-cased, with "ё" as "е", and with only letters and digits left, words separated by single
   * spaces; "" for null or for text without letters and digits.
   */
  public String normalize(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    String s = Normalizer.isNormalized(text, Normalizer.Form.NFKC)
        ? text
        : Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder b = new StringBuilder(s.length());
    boolean gap = false;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      // Stress accents, variation selectors and zero-width joiners belong to the character before them: dropping
      // them keeps "паро́ль" one word instead of splitting it.
      if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
          || type == Character.COMBINING_SPACING_MARK || type == Character.FORMAT) {
        continue;
      }
      if (isApostrophe(cp) && b.length() > 0 && !gap && i < s.length()
          && Character.isLetter(s.codePointAt(i))) {
        continue;
      }
      if (Character.isLetterOrDigit(cp) && !isApostrophe(cp)) {
        if (gap && b.length() > 0) {
          b.append(' ');
        }
        gap = false;
        int lower = Character.toLowerCase(cp);
        b.appendCodePoint(lower == 'ё' ? 'е' : lower);
      } else {
        gap = true;
      }
    }
    return b.toString();
  }

  /** The words of the normalised text, in order, stop words included. */
  public List<String> tokens(String text) {
    String n = normalize(text);
    if (n.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= n.length(); i++) {
      if (i == n.length() || n.charAt(i) == ' ') {
        out.add(n.substring(start, i));
        start = i + 1;
      }
    }
    return Collections.unmodifiableList(out);
  }

  /** The stems of the words that are not stop words, in order; empty when every word is a stop word. */
  public List<String> stems(String text) {
    List<String> tokens = tokens(text);
    List<String> out = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      if (!isStopWord(t)) {
        out.add(stem(t));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The stem of one token as {@link #tokens} returns it: Russian rules for an all-Cyrillic word, English rules for
   * an all-Latin one; any other token (digits, mixed scripts, other alphabets, more than 40 letters) comes back
   * unchanged.
   */
  public String stem(String token) {
    if (token == null || token.isEmpty()) {
      return "";
    }
    if (token.length() > MAX_STEMMED) {
      return token;
    }
    if (isAll(token, 'а', 'я')) {
      return RussianStemmer.stem(token);
    }
    if (isAll(token, 'a', 'z')) {
      return EnglishStemmer.stem(token);
    }
    return token;
  }

  /** True for a Russian or English stop word spelled as {@link #tokens} returns it ("и", "the", "dont"). */
  public boolean isStopWord(String token) {
    return token != null && StopWords.contains(token);
  }

  /**
   * The distinct character n-grams of every word of the normalised text, each word wrapped in
   * {@link #WORD_BOUNDARY}: for n = 3, "reset" gives "_re", "res", "ese", "set", "et_". A word too short to fill
   * one n-gram gives itself with its boundaries ("_ok_" for n = 5), so short words still count.
   *
   * @throws IllegalArgumentException when {@code n < 1}
   */
  public Set<String> charNGrams(String text, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, was " + n);
    }
    return Collections.unmodifiableSet(charNGramCounts(tokens(text), n).keySet());
  }

  /** How often each n-gram occurs in these words, in first-seen order. */
  static Map<String, Integer> charNGramCounts(List<String> words, int n) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    StringBuilder padded = new StringBuilder();
    for (String w : words) {
      padded.setLength(0);
      padded.append(WORD_BOUNDARY).append(w).append(WORD_BOUNDARY);
      if (padded.length() <= n) {
        counts.merge(padded.toString(), 1, Integer::sum);
        continue;
      }
      for (int i = 0; i + n <= padded.length(); i++) {
        counts.merge(padded.substring(i, i + n), 1, Integer::sum);
      }
    }
    return counts;
  }

  /**
   * The words the lexical models match on: the tokens that are not stop words, or every token when all are stop
   * words, so that a question such as "How?" still has something to match.
   */
  List<String> contentTokens(String text) {
    List<String> tokens = tokens(text);
    List<String> content = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      if (!isStopWord(t)) {
        content.add(t);
      }
    }
    return content.isEmpty() ? tokens : content;
  }

  private static boolean isAll(String s, char from, char to) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < from || c > to) {
        return false;
      }
    }
    return true;
  }

  private static boolean isApostrophe(int cp) {
    return cp == '\'' || cp == '\u2019' || cp == '\u02BC' || cp == '`';
  }
}
