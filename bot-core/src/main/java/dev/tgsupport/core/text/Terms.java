package dev.tgsupport.core.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The features the lexical models match on: canonical word stems and character 3-grams.
 *
 * <p>Stems go through a small support-domain thesaurus first. Lexical matching has no notion of meaning, and a
 * handful of verbs carry most support questions in several spellings ("change", "update", "edit"; "сменить",
 * "изменить", "поменять"; "turn on", "enable"); folding them to one stem lets "update my email" find "change my
 * email" instead of "delete my account". Phrases are folded before stop words go, since "turn on" and "log in"
 * lose their meaning with "on" and "in". The thesaurus stays within one language except for "2FA" and "API",
 * which Russian users write in Latin letters too.
 */
final class Terms {
  static final int GRAM = 3;

  private static final Map<String, String> PHRASES = new HashMap<>();
  private static final Map<String, String> STEMS = new HashMap<>();
  private static final Set<String> CANONICAL = new HashSet<>();

  static {
    phrase("enable", "turn on", "switch on");
    phrase("disable", "turn off", "switch off");
    phrase("login", "log in", "sign in", "log into", "sign into", "logged in", "signed in", "log on");
    phrase("2fa", "two factor", "2 factor", "two step", "2 step");
    phrase("email", "e mail");
    phrase("setup", "set up");
    phrase("refund", "money back");
    // Matched on stems too, so every case of "учётная запись" folds.
    phrase("аккаунт", "учетн запис", "учетн зап");

    stems("chang", "updat", "modifi", "edit", "switch");
    stems("delet", "remov", "eras");
    stems("enabl", "activ");
    stems("disabl", "deactiv");
    stems("login", "signin", "logon");
    stems("смен", "поменя", "измен", "изменен");
    stems("удал", "стерет");
    stems("включ", "активирова");
    stems("отключ", "выключ", "деактивирова");
    stems("вход", "войт", "зайт", "залогин");
    // Snowball reads "отмена" as a verb form and leaves "отм".
    stems("отмен", "отм");
    stems("2fa", "двухфакторн", "двухфакторк", "двухэтапн");
    // Getting back into an account: "recover my password" asks what "reset my password" answers.
    stems("reset", "recov", "restor");
    stems("сброс", "восстанов", "восстановлен");
    stems("api", "ап", "апи");
    stems("возврат", "верн", "вернут");
    stems("аккаунт", "учетк");
    stems("уведомлен", "оповещен");
    stems("notif", "notifi", "alert");
    // Snowball takes "-ит" of "лимит" for a verb ending, but keeps "лимиты" as "лимит".
    stems("лимит", "лим");
  }

  private Terms() {}

  private static void phrase(String canonical, String... phrases) {
    for (String p : phrases) {
      PHRASES.put(p, canonical);
    }
  }

  private static void stems(String canonical, String... variants) {
    CANONICAL.add(canonical);
    for (String v : variants) {
      STEMS.put(v, canonical);
    }
  }

  /** The stems and the 3-grams of a text, counted. */
  record Features(Map<String, Integer> stems, Map<String, Integer> grams) {
    boolean isEmpty() {
      return stems.isEmpty();
    }
  }

  /**
   * The features of the text's content words (see {@link TextNormalizer#contentTokens}). A word the thesaurus
   * knows gives the 3-grams of its canonical stem rather than its own, so "update" and "change" also agree
   * letter by letter; other words give their own 3-grams, which tolerate typos and endings the stemmer misses.
   */
  static Features of(TextNormalizer n, String text) {
    List<String> tokens = foldPhrases(n, n.tokens(text));
    List<String> content = new ArrayList<>(tokens.size());
    for (String t : tokens) {
      if (!n.isStopWord(t) && !isEnglishStopStem(n, t)) {
        content.add(t);
      }
    }
    if (content.isEmpty()) {
      content = tokens;
    }
    Map<String, Integer> stems = new HashMap<>();
    List<String> gramWords = new ArrayList<>(content.size());
    for (String t : content) {
      String s = n.stem(t);
      String canonical = STEMS.get(s);
      if (canonical == null && CANONICAL.contains(s)) {
        canonical = s;
      }
      stems.merge(canonical != null ? canonical : s, 1, Integer::sum);
      gramWords.add(canonical != null ? canonical : t);
    }
    return new Features(stems, TextNormalizer.charNGramCounts(gramWords, GRAM));
  }

  /** "getting", "wanted", "needs": inflected English stop words. Russian stems collide with too many. */
  private static boolean isEnglishStopStem(TextNormalizer n, String token) {
    char c = token.charAt(0);
    return c >= 'a' && c <= 'z' && StopWords.ENGLISH.contains(n.stem(token));
  }

  private static List<String> foldPhrases(TextNormalizer n, List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    int i = 0;
    while (i < tokens.size()) {
      if (i + 1 < tokens.size()) {
        String a = tokens.get(i);
        String b = tokens.get(i + 1);
        String canonical = PHRASES.get(a + " " + b);
        if (canonical == null) {
          canonical = PHRASES.get(n.stem(a) + " " + n.stem(b));
        }
        if (canonical != null) {
          out.add(canonical);
          i += 2;
          continue;
        }
      }
      out.add(tokens.get(i));
      i++;
    }
    return out;
  }
}
