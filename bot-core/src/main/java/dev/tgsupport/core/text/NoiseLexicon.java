package dev.tgsupport.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a text says nothing but hello, thanks or "ok". The text is read as a sequence of known phrases;
 * one unknown word makes it content, so "спасибо, а как сбросить пароль?" is never noise however polite it is.
 *
 * <p>Words are compared with runs of a repeated letter collapsed ("спасибооо", "hellooo", "okkk"), on both sides,
 * and the longer greeting and thanks words also match with one typo ("спосибо", "здраствуйте", "thnaks").
 */
final class NoiseLexicon {
  /** What a phrase contributes; the first three name a reason, in this order of precedence. */
  enum Kind {
    THANKS,
    GREETING,
    ACK,
    /** "всем", "guys", "очень", "a lot", the bot's name: allowed anywhere, says nothing by itself. */
    ADDRESS,
    /** "за помощь", "for your help": allowed only in a message that also thanks. */
    THANKS_TAIL
  }

  private static final int MAX_PHRASE_WORDS = 5;
  private static final int FUZZY_MIN_WORD = 5;
  private static final int FUZZY_MIN_ENTRY = 6;

  private static final List<String> GREETINGS = List.of(
      "привет", "приветик", "приветики", "приветы", "приветствую", "приветствуем", "здравствуйте", "здравствуй",
      "здрасте", "здрасьте", "здрасти", "здарова", "здорово", "хай", "хелло", "хеллоу", "хэллоу", "салют",
      "доброго времени суток", "доброе утро", "добрый день", "добрый вечер", "доброй ночи", "доброго дня",
      "доброго утра", "доброго вечера", "день добрый", "вечер добрый", "утро доброе", "добрый", "доброе",
      "как дела", "как ты", "как вы", "как поживаете", "есть кто", "есть кто нибудь", "есть кто живой",
      "кто нибудь тут", "ау", "алло",
      "hi", "hello", "hey", "heya", "hiya", "hallo", "howdy", "yo", "greetings", "good morning", "good afternoon",
      "good evening", "good day", "morning", "evening", "gm", "how are you", "how are u", "how r u",
      "how is it going", "hows it going", "whats up", "sup", "wassup", "anyone here", "anybody here",
      "anyone there", "is anyone there", "is anybody there");

  private static final List<String> THANKS = List.of(
      "спасибо", "спасиб", "спасибки", "спасибочки", "спасибочко", "спасибос", "пасиб", "пасибо", "спс", "спсб",
      "сяп", "благодарю", "благодарим", "благодарствую", "благодарочка", "мерси", "сенкс", "сенк", "от души",
      "thanks", "thank you", "thank u", "thx", "thnx", "thanx", "tnx", "tks", "ty", "tysm", "tyvm", "thank",
      "many thanks", "much appreciated", "appreciate it", "appreciated", "i appreciate it", "cheers", "kudos",
      "much obliged");

  private static final List<String> ACKS = List.of(
      "ок", "окей", "оке", "окс", "понял", "поняла", "поняли", "понятно", "понятненько", "ясно", "ясненько",
      "ясн", "хорошо", "хор", "ладно", "лады", "ага", "угу", "да", "нет", "неа", "норм", "нормально", "отлично",
      "супер", "класс", "круто", "принято", "принял", "приняла", "договорились", "конечно", "вас понял",
      "понял принял", "получилось", "заработало", "помогло",
      "ok", "okay", "okey", "oki", "okie", "okie dokie", "k", "kk", "got it", "gotcha", "understood", "sure",
      "cool", "fine", "great", "nice", "good", "perfect", "awesome", "alright", "all right", "noted", "roger",
      "roger that", "yes", "yep", "yup", "yeah", "ya", "no", "nope", "nah", "i see", "makes sense", "sounds good",
      "will do", "no problem", "np", "it works", "it worked", "works now", "that worked", "that helped",
      "solved");

  private static final List<String> ADDRESSES = List.of(
      "всем", "все", "всех", "вам", "тебе", "вас", "ребята", "ребят", "народ", "коллеги", "друзья", "господа",
      "уважаемые", "бот", "ботик", "поддержка", "саппорт", "команда", "админ", "админы", "и", "а", "ну", "ой",
      "ох", "ах", "так", "очень", "большое", "огромное", "большущее", "преогромное", "еще", "раз", "снова",
      "опять", "all", "everyone", "everybody", "guys", "folks", "team", "there", "people", "friends", "dear",
      "bot", "support", "admin", "admins", "yall", "and", "oh", "ah", "well", "so", "very", "much", "a", "lot",
      "many", "again", "you", "u", "man", "mate", "buddy", "sir", "then");

  private static final List<String> THANKS_TAILS = List.of(
      "за", "помощь", "ответ", "ответы", "быстрый", "быструю", "быстро", "оперативность", "оперативно",
      "информацию", "инфу", "подсказку", "поддержку", "заранее", "понимание", "терпение", "это",
      "for", "the", "your", "help", "answer", "answers", "reply", "response", "quick", "fast", "info",
      "information", "in", "advance", "it", "that", "this", "assistance", "patience");

  private static final Set<Integer> ACK_EMOJI = Set.of(0x1F44D, 0x1F44C, 0x2705, 0x2714, 0x1F197, 0x1F4AF);
  private static final Set<Integer> THANKS_EMOJI = Set.of(0x1F64F, 0x1F91D);
  private static final Set<Integer> GREETING_EMOJI = Set.of(0x1F44B);

  private final TextNormalizer normalizer = TextNormalizer.create();
  /** Collapsed first word → phrases (as collapsed word arrays) starting with it, longest first. */
  private final Map<String, List<Phrase>> phrases = new HashMap<>();
  private final List<String> fuzzyWords = new ArrayList<>();
  private final Map<String, Kind> fuzzyKinds = new HashMap<>();

  private record Phrase(String[] words, Kind kind) {}

  NoiseLexicon(Collection<String> extraAddressWords) {
    // Later lists override earlier ones for a phrase listed twice, so the most telling kind wins.
    addAll(THANKS_TAILS, Kind.THANKS_TAIL);
    addAll(ADDRESSES, Kind.ADDRESS);
    addAll(extraAddressWords, Kind.ADDRESS);
    addAll(ACKS, Kind.ACK);
    addAll(GREETINGS, Kind.GREETING);
    addAll(THANKS, Kind.THANKS);
    for (List<Phrase> list : phrases.values()) {
      list.sort((a, b) -> b.words.length - a.words.length);
      for (Phrase p : list) {
        if (p.words.length == 1 && p.words[0].length() >= FUZZY_MIN_ENTRY
            && (p.kind == Kind.GREETING || p.kind == Kind.THANKS) && !fuzzyKinds.containsKey(p.words[0])) {
          fuzzyWords.add(p.words[0]);
          fuzzyKinds.put(p.words[0], p.kind);
        }
      }
    }
  }

  private void addAll(Collection<String> texts, Kind kind) {
    for (String text : texts) {
      List<String> tokens = normalizer.tokens(text);
      if (tokens.isEmpty() || tokens.size() > MAX_PHRASE_WORDS) {
        continue;
      }
      String[] words = new String[tokens.size()];
      for (int i = 0; i < words.length; i++) {
        words[i] = collapse(tokens.get(i));
      }
      List<Phrase> list = phrases.computeIfAbsent(words[0], k -> new ArrayList<>());
      list.removeIf(p -> Arrays.equals(p.words, words));
      list.add(new Phrase(words, kind));
    }
  }

  /**
   * The noise reason of a non-blank text: "thanks", "greeting", "ack", "emoji_only" or "empty" (punctuation only),
   * or null when the text has content.
   */
  String classify(String text) {
    EnumSet<Kind> kinds = EnumSet.noneOf(Kind.class);
    List<String> words = new ArrayList<>();
    boolean symbols = lex(text, words, kinds);
    int i = 0;
    while (i < words.size()) {
      int matched = matchPhrase(words, i, kinds);
      if (matched == 0) {
        Kind k = fuzzyKind(words.get(i));
        if (k == null) {
          return null;
        }
        kinds.add(k);
        matched = 1;
      }
      i += matched;
    }
    if (kinds.contains(Kind.THANKS_TAIL) && !kinds.contains(Kind.THANKS)) {
      return null;
    }
    if (kinds.contains(Kind.THANKS)) {
      return "thanks";
    }
    if (kinds.contains(Kind.GREETING)) {
      return "greeting";
    }
    if (kinds.contains(Kind.ACK)) {
      return "ack";
    }
    if (!words.isEmpty()) {
      return null;
    }
    return symbols ? "emoji_only" : "empty";
  }

  /**
   * Splits the text at whitespace; collects the collapsed words, adds the kinds that "+1", "@mentions" and known
   * emoji stand for, and returns whether there was any emoji, symbol or emoticon bracket.
   */
  private boolean lex(String text, List<String> words, EnumSet<Kind> kinds) {
    boolean symbols = false;
    int i = 0;
    int n = text.length();
    while (i < n) {
      while (i < n && isSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(text.charAt(i))) {
        i++;
      }
      if (start == i) {
        break;
      }
      String chunk = text.substring(start, i);
      if (isPlusOne(chunk)) {
        kinds.add(Kind.ACK);
        continue;
      }
      if (chunk.length() > 1 && chunk.charAt(0) == '@') {
        kinds.add(Kind.ADDRESS);
        continue;
      }
      for (int j = 0; j < chunk.length(); ) {
        int cp = chunk.codePointAt(j);
        j += Character.charCount(cp);
        int type = Character.getType(cp);
        if (type == Character.OTHER_SYMBOL || type == Character.MODIFIER_SYMBOL || type == Character.MATH_SYMBOL
            || type == Character.CURRENCY_SYMBOL || cp == ')' || cp == '(') {
          symbols = true;
          if (ACK_EMOJI.contains(cp)) {
            kinds.add(Kind.ACK);
          } else if (THANKS_EMOJI.contains(cp)) {
            kinds.add(Kind.THANKS);
          } else if (GREETING_EMOJI.contains(cp)) {
            kinds.add(Kind.GREETING);
          }
        }
      }
      for (String t : normalizer.tokens(chunk)) {
        words.add(collapse(t));
      }
    }
    return symbols;
  }

  private int matchPhrase(List<String> words, int at, EnumSet<Kind> kinds) {
    List<Phrase> candidates = phrases.get(words.get(at));
    if (candidates == null) {
      return 0;
    }
    for (Phrase p : candidates) {
      if (at + p.words.length <= words.size() && matchesAt(p.words, words, at)) {
        kinds.add(p.kind);
        return p.words.length;
      }
    }
    return 0;
  }

  private static boolean matchesAt(String[] phrase, List<String> words, int at) {
    for (int k = 0; k < phrase.length; k++) {
      if (!phrase[k].equals(words.get(at + k))) {
        return false;
      }
    }
    return true;
  }

  private Kind fuzzyKind(String word) {
    if (word.length() < FUZZY_MIN_WORD) {
      return null;
    }
    for (String candidate : fuzzyWords) {
      if (Math.abs(candidate.length() - word.length()) <= 1 && Edits.withinOne(word, candidate)) {
        return fuzzyKinds.get(candidate);
      }
    }
    return null;
  }

  /** "спасибооо" → "спасибо", "hello" → "helo": the same on both sides, so it only has to be consistent. */
  static String collapse(String word) {
    StringBuilder b = null;
    for (int i = 1; i < word.length(); i++) {
      if (word.charAt(i) == word.charAt(i - 1)) {
        if (b == null) {
          b = new StringBuilder(word.length()).append(word, 0, i);
        }
      } else if (b != null) {
        b.append(word.charAt(i));
      }
    }
    return b == null ? word : b.toString();
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** "+", "++", "+1", "+++1": the chat way of saying "me too" or "agreed". */
  private static boolean isPlusOne(String chunk) {
    int i = 0;
    while (i < chunk.length() && chunk.charAt(i) == '+') {
      i++;
    }
    if (i == 0) {
      return false;
    }
    return i == chunk.length() || (i == chunk.length() - 1 && chunk.charAt(i) == '1');
  }
}
