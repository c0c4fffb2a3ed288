package dev.tgsupport.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The hand-written checks: what spam carries besides its words. Each reads {@link SpamText#flat()}, so look-alike
 * letters and zero-width characters are already undone. Kept coarse on purpose: they are evidence for the
 * classifier and, together, a verdict of their own, never one alone (a member may post a link or a phone number).
 */
final class SpamSignals {
  static final String INVITE_LINK = "invite_link";
  static final String LINK = "link";
  static final String MENTION = "mention";
  static final String PHONE = "phone";
  static final String EARNINGS = "earnings";
  static final String CRYPTO = "crypto";
  static final String CONTACT_ME = "contact_me";
  static final String EMOJI = "emoji";
  static final String CAPS = "caps";
  static final String ADULT = "adult";
  static final String LOOKALIKES = "lookalikes";

  /** In the order a verdict lists them: the most telling first. */
  static final List<String> NAMES =
      List.of(LOOKALIKES, INVITE_LINK, CONTACT_ME, EARNINGS, CRYPTO, ADULT, LINK, MENTION, PHONE, EMOJI, CAPS);

  // Private-group invites and chat-me links: how spam moves people out of the group.
  private static final Pattern INVITE = Pattern.compile(
      "(?:t\\.me|telegram\\.me|telegram\\.dog)/(?:\\+|joinchat/)|wa\\.me/|chat\\.whatsapp\\.com|api\\.whatsapp");
  private static final Pattern URL = Pattern.compile(
      "https?://|www\\.|\\b[a-z0-9-]{2,}\\.(?:com|net|org|ru|io|me|ly|ltd|xyz|top|site|online|shop|club|fr|cc|link"
          + "|app|pro|info|biz|store|vip|live)\\b|t\\.me/");
  private static final Pattern AT = Pattern.compile("(?<![\\w.])@[a-z][a-z0-9_]{3,}");
  private static final Pattern TELEPHONE = Pattern.compile("(?<![\\d])\\+?\\d(?:[\\s\\-()]*\\d){9,13}(?![\\d])");
  private static final Pattern MONEY = Pattern.compile(
      "заработ|зарабат|доход|прибыл|выплат|пассивн|удаленн|удалённ|без опыта|от \\d[\\d\\s.,]*\\s?(?:\\$|usd|руб|р\\b"
          + "|₽|т\\.?р|тыс|k\\b|к\\b|euro|евро|бакс)|\\d[\\d\\s.,]*\\s?(?:\\$|usd|руб\\w*|₽|€)\\s*(?:в|за|/|per|a)\\s*"
          + "(?:день|сутки|неделю|недел|месяц|day|week|month|hour|час)|в день|в неделю|в сутки|earn|income|profit"
          + "|invest|инвест|withdraw|payout|per day|a day|daily|финансов\\w* свобод|financial freedom|подработ"
          + "|работа на дому|work from home|бонус|bonus|казино|casino|ставк|ставлю|прогноз\\w* на|каппер|букмекер"
          + "|betting|free money|халяв|\\$\\$");
  private static final Pattern COINS = Pattern.compile(
      "\\b(?:usdt|btc|eth|bnb|ton|trc20|erc20|nft|p2p|defi)\\b|bitcoin|биткоин|биткойн|crypto|крипт|blockchain|блокчейн"
          + "|binance|бинанс|forex|форекс|трейд|trading|трейдинг|арбитраж|airdrop|эйрдроп|токен|token|майнинг|mining"
          + "|altcoin|альткоин|цифров\\w* актив|digital asset");
  private static final Pattern EXPLICIT = Pattern.compile(
      "🔞|\\b18\\s?\\+|\\+\\s?18\\b|интим|обнаж|трусик|эскорт|escort|знакомств|nudes?\\b|onlyfans|sexy|секс|sex\\b"
          + "|порно|porn|фоточк|горяч\\w* (?:фото|девуш)|встретиться с");
  private static final Pattern PM = Pattern.compile(
      "(?:пиши|пишите|напиши|напишите|обращайся|обращайтесь|жду|подробност\\w*|детали|пишем)\\s*(?:мне\\s*)?"
          + "(?:в|во)\\s*(?:лс|л\\.с|личк\\w*|личн\\w*|директ|direct)|в\\s*лс\\b|\\+\\s*в\\s*лс|за подробност"
          + "|\\bdm me\\b|\\bpm me\\b|\\binbox me\\b|message me|contact (?:me|us|him|her)|text me|write me|whatsapp");

  private SpamSignals() {}

  /** The names of the signals in this text, in {@link #NAMES} order. */
  static List<String> fired(SpamText text) {
    String s = text.flat();
    List<String> out = new ArrayList<>(4);
    // One odd word is a typo or a product name ("iPadе"); two are a spammer dodging word lists.
    if (text.lookalikes() >= 2) {
      out.add(LOOKALIKES);
    }
    if (INVITE.matcher(s).find()) {
      out.add(INVITE_LINK);
    }
    if (PM.matcher(s).find()) {
      out.add(CONTACT_ME);
    }
    if (MONEY.matcher(s).find()) {
      out.add(EARNINGS);
    }
    if (COINS.matcher(s).find()) {
      out.add(CRYPTO);
    }
    if (EXPLICIT.matcher(s).find()) {
      out.add(ADULT);
    }
    if (URL.matcher(s).find()) {
      out.add(LINK);
    }
    if (AT.matcher(s).find()) {
      out.add(MENTION);
    }
    if (TELEPHONE.matcher(s).find()) {
      out.add(PHONE);
    }
    return out;
  }

  /** Emoji and pictographs: symbols outside the letter planes, counted once each. */
  static int emojiCount(String raw) {
    int n = 0;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      if (isEmoji(cp)) {
        n++;
      }
    }
    return n;
  }

  static boolean isEmoji(int cp) {
    return cp >= 0x1F000 && cp <= 0x1FAFF || cp >= 0x2600 && cp <= 0x27BF || cp >= 0x2B00 && cp <= 0x2BFF
        || cp == 0x203C || cp == 0x2049 || cp >= 0x2190 && cp <= 0x21FF && Character.getType(cp)
        == Character.OTHER_SYMBOL;
  }

  /** {letters, upper-case letters} of the raw text. */
  static int[] letters(String raw) {
    int letters = 0;
    int upper = 0;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp)) {
        letters++;
        if (Character.isUpperCase(cp)) {
          upper++;
        }
      }
    }
    return new int[] {letters, upper};
  }
}
