package dev.tgsupport.core.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A message as the spam checks see it, undoing what spammers do to slip past word lists: full-width and styled
 * letters (NFKC), zero-width characters, small capitals and Greek or Cherokee look-alikes, Latin letters inside
 * Cyrillic words ("Зaрaбoтoк") and the reverse, and stretched letters ("дохооод").
 *
 * <p>{@link #flat} keeps punctuation, so links, phone numbers and amounts stay recognisable; {@link #words} is
 * letters and digits only, one space between words, and is what stop words, similarity and the classifier read.
 */
final class SpamText {
  /**
   * Exotic letters folded to the plain letter they imitate, as pairs; Latin and Cyrillic results are sorted out per
   * word afterwards. NFKC already handles full-width, mathematical and superscript letters.
   */
  private static final String FOLDS =
      "ᴀa ʙb ᴄc ᴅd ᴇe ꜰf ɢg ʜh ɪi ᴊj ᴋk ʟl ᴍm ɴn ᴏo ᴘp ʀr ꜱs ᴛt ᴜu ᴠv ᴡw ʏy ᴢz "
          + "ᴨп ᴧл ʍм ɜз ᴩр ᴦг ᴎи ᴙя ᴫл "
          + "αa βb εe ιi κk νv οo ρp τt υu χx ωw ϲc "
          + "Ꭺa Ᏼb Ꮯc Ꭰd Ꭼe Ꮋh Ꮶk Ꮮl Ꮇm Ꮓz Ꮲp Ꮪs Ꭲt Ꮃw Ꮻo";
  private static final Map<Integer, Character> FOLD = folds();

  /** Latin letters that pass for Cyrillic ones, and their Cyrillic twins, by position. */
  private static final String LATIN_TWINS = "aceopxykmhbtu";
  private static final String CYRILLIC_TWINS = "асеорхукмнвти";
  /** Cyrillic letters that pass for Latin ones, and their Latin twins. */
  private static final String CYRILLIC_AS_LATIN = "асеорхукмнвтіјѕ";
  private static final String LATIN_AS_CYRILLIC = "aceopxykmhbtijs";

  private final String flat;
  private final String words;
  private final int emoji;
  private final int letters;
  private final int upper;
  private final int lookalikes;

  private SpamText(String flat, String words, int emoji, int letters, int upper, int lookalikes) {
    this.flat = flat;
    this.words = words;
    this.emoji = emoji;
    this.letters = letters;
    this.upper = upper;
    this.lookalikes = lookalikes;
  }

  static SpamText of(String text) {
    String raw = text == null ? "" : text;
    String flat = flatten(raw);
    int[] letters = SpamSignals.letters(raw);
    return new SpamText(flat, TextNormalizer.create().normalize(flat), SpamSignals.emojiCount(raw), letters[0],
        letters[1], lookalikes(raw));
  }

  /** Words in disguise: with a look-alike letter or with a letter of one script between two of the other. */
  int lookalikes() {
    return lookalikes;
  }

  static int lookalikes(String raw) {
    String s = Normalizer.normalize(raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    int words = 0;
    boolean counted = false;
    int prev2 = 0;
    int prev = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (!Character.isLetter(cp)) {
        counted = false;
        prev2 = 0;
        prev = 0;
        continue;
      }
      int script = script(cp);
      // "зaрaботок": a Latin "a" between Cyrillic letters; any small capital or Cherokee look-alike.
      boolean odd = FOLD.containsKey(cp) || script < 3 && prev < 3 && prev > 0 && prev2 == script && prev != script;
      if (odd && !counted) {
        words++;
        counted = true;
      }
      prev2 = prev;
      prev = script;
    }
    return words;
  }

  /** 1 Latin, 2 Cyrillic, 3 anything else. */
  private static int script(int cp) {
    if (cp >= 'a' && cp <= 'z') {
      return 1;
    }
    return Character.UnicodeScript.of(cp) == Character.UnicodeScript.CYRILLIC ? 2 : 3;
  }

  /** Emoji in the original text. */
  int emoji() {
    return emoji;
  }

  /** Letters in the original text. */
  int letters() {
    return letters;
  }

  /** Upper-case letters in the original text. */
  int upper() {
    return upper;
  }

  /** Lower-cased, folded, twins resolved, stretched letters squeezed; punctuation and emoji kept. */
  String flat() {
    return flat;
  }

  /** Only letters and digits, single spaces. */
  String words() {
    return words;
  }

  List<String> tokens() {
    if (words.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= words.length(); i++) {
      if (i == words.length() || words.charAt(i) == ' ') {
        out.add(words.substring(start, i));
        start = i + 1;
      }
    }
    return Collections.unmodifiableList(out);
  }

  static String flatten(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      // Zero-width spaces and joiners, soft hyphens, stress accents: invisible, so they only serve to split words.
      if (type == Character.FORMAT || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) {
        continue;
      }
      int lower = Character.toLowerCase(cp);
      Character folded = FOLD.get(cp);
      if (folded == null) {
        folded = FOLD.get(lower);
      }
      if (folded != null) {
        lower = folded;
      }
      b.appendCodePoint(lower == 'ё' ? 'е' : lower);
    }
    return squeeze(resolveTwins(b));
  }

  /**
   * In a word that mixes scripts, turns the letters of one script into their twins in the other: a word whose Latin
   * letters all have Cyrillic twins becomes Cyrillic ("зaрaбoтoк", "hoвoe"), otherwise one whose Cyrillic letters
   * all have Latin twins becomes Latin ("сrурtо"). Words in one script stay as they are.
   */
  private static String resolveTwins(StringBuilder s) {
    int start = 0;
    int n = s.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || !Character.isLetter(s.charAt(i))) {
        if (i > start) {
          resolveWord(s, start, i);
        }
        start = i + 1;
      }
    }
    return s.toString();
  }

  private static void resolveWord(StringBuilder s, int from, int to) {
    boolean latin = false;
    boolean cyrillic = false;
    boolean latinAllTwins = true;
    boolean cyrillicAllTwins = true;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        latin = true;
        latinAllTwins &= LATIN_TWINS.indexOf(c) >= 0;
      } else if (c >= 'а' && c <= 'я' || c == 'і' || c == 'ј' || c == 'ѕ') {
        cyrillic = true;
        cyrillicAllTwins &= CYRILLIC_AS_LATIN.indexOf(c) >= 0;
      }
    }
    if (!latin || !cyrillic) {
      return;
    }
    if (latinAllTwins) {
      for (int i = from; i < to; i++) {
        int k = LATIN_TWINS.indexOf(s.charAt(i));
        if (k >= 0) {
          s.setCharAt(i, CYRILLIC_TWINS.charAt(k));
        }
      }
    } else if (cyrillicAllTwins) {
      for (int i = from; i < to; i++) {
        int k = CYRILLIC_AS_LATIN.indexOf(s.charAt(i));
        if (k >= 0) {
          s.setCharAt(i, LATIN_AS_CYRILLIC.charAt(k));
        }
      }
    }
  }

  private static Map<Integer, Character> folds() {
    Map<Integer, Character> m = new HashMap<>();
    for (String pair : FOLDS.split(" ")) {
      int cp = pair.codePointAt(0);
      m.put(cp, pair.charAt(Character.charCount(cp)));
      // Cherokee capitals lower-case to small letters that look the same.
      m.put(Character.toLowerCase(cp), pair.charAt(Character.charCount(cp)));
    }
    return Map.copyOf(m);
  }

  /** Three or more of the same letter become one: "дохооод", "freeee". Doubled letters are real spelling. */
  private static String squeeze(String s) {
    StringBuilder b = new StringBuilder(s.length());
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (i > 0 && c == s.charAt(i - 1) && Character.isLetter(c)) {
        run++;
      } else {
        run = 1;
      }
      b.append(c);
      if (run == 3) {
        b.setLength(b.length() - 3);
        b.append(c);
      } else if (run > 3) {
        b.setLength(b.length() - 1);
      }
    }
    return b.toString();
  }
}
