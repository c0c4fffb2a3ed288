package dev.tgsupport.telegram;

import com.pengrad.telegrambot.model.CallbackQuery;
import com.pengrad.telegrambot.model.ChatMember;
import com.pengrad.telegrambot.model.ChatMemberUpdated;
import com.pengrad.telegrambot.model.Contact;
import com.pengrad.telegrambot.model.Location;
import com.pengrad.telegrambot.model.Message;
import com.pengrad.telegrambot.model.PhotoSize;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.model.User;
import com.pengrad.telegrambot.model.Venue;
import com.pengrad.telegrambot.model.message.MaybeInaccessibleMessage;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.TelegramUser;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns one Telegram update into one {@link Inbound}. It never throws: whatever cannot be mapped (a parse error, a
 * missing or out-of-range field, a value bot-core's records refuse) becomes {@link Inbound.Unparsable} with the
 * update id and a "{@code <field>: <reason>}" text, the field spelled as in the Bot API JSON.
 *
 * <p>Rules, in the order they apply to {@code message}, {@code edited_message}, {@code channel_post} and
 * {@code edited_channel_post}:
 * <ol>
 *   <li>An update without a usable {@code update_id} is {@code Unparsable}: it could be neither deduplicated nor
 *       acknowledged.
 *   <li>{@code migrate_to_chat_id} (in the old group) and {@code migrate_from_chat_id} (in the new supergroup) are
 *       {@link Inbound.ChatMigrated}, whoever sent them: stored chat ids must follow the chat.
 *   <li>Channel posts, and anything else in a chat of type {@code channel}, are {@code Ignored("channel_post")}
 *       unless {@link Options#acceptChannelPosts()}.
 *   <li>A message with no text, caption or content (media, contact, location, poll, …) is a service message
 *       ({@code new_chat_members}, {@code pinned_message}, {@code forum_topic_created}, …):
 *       {@code Ignored("service_message")}. A content type newer than pengrad without a caption lands here too.
 *   <li>A message sent on behalf of a chat ({@code sender_chat} set: an anonymous group admin, a linked channel's
 *       automatic forward, a user posting as their channel), or with no {@code from} at all, is
 *       {@code Ignored("anonymous_sender")}. Telegram fills {@code from} of such messages with a shared stand-in
 *       account ({@code GroupAnonymousBot}, {@code Channel_Bot}); mapping that would merge every anonymous admin
 *       into one "user", open tickets for channel posts mirrored into the discussion group, and give operators
 *       nobody to answer. A support team that wants its admins heard asks them to turn off "Remain anonymous".
 *   <li>{@code from.is_bot} is {@code Ignored("from_bot")} unless {@link Options#acceptBotMessages()}.
 *   <li>Otherwise {@link Inbound.NewMessage}, or {@link Inbound.EditedMessage} dated by {@code edit_date}.
 * </ol>
 * Accepted channel posts are attributed to their {@code from} when Telegram names one, else to Telegram's own
 * stand-in for channels ({@code Channel_Bot}, id {@value #CHANNEL_BOT_ID}), the same account Telegram puts in
 * {@code from} for channel messages in groups.
 *
 * <p>Content: the type and attachment come from the first present of animation (which Telegram duplicates into
 * {@code document}), photo (the largest size), video, voice, video_note and audio ({@code OTHER}), document,
 * sticker (text = its emoji), contact and location/venue (text = a readable line, no attachment), poll and dice
 * ({@code OTHER}, text = a readable line), other content ({@code OTHER}); else {@code TEXT}. The text is
 * {@code text}, else {@code caption}, else "".
 *
 * <p>Threads and replies: {@code threadId} is {@code message_thread_id} only when {@code is_topic_message} is true,
 * because outside forums Telegram sets it on reply chains and {@code sendMessage} would refuse it. A reply to the
 * topic's creation message ({@code forum_topic_created}, or {@code message_id == message_thread_id} in a topic) is
 * how clients post into a topic, not a reply, and maps to no {@code replyToMessageId}.
 *
 * <p>{@code my_chat_member} is {@link Inbound.BotMembership} (a member when the new status is creator,
 * administrator, member, or restricted with {@code is_member}); {@code callback_query} is
 * {@link Inbound.CallbackQuery}, with the chat and message ids also from an inaccessible message; every other
 * payload, including ones pengrad does not know, is {@link Inbound.Unknown} named by its JSON field.
 *
 * <p>Immutable and thread-safe.
 */
final class UpdateMapper {

  /** Telegram's stand-in user for messages sent on behalf of a channel ({@code @Channel_Bot}). */
  static final long CHANNEL_BOT_ID = 136817688L;

  /**
   * What the mapper lets through.
   *
   * @param acceptBotMessages map messages whose sender is a bot instead of ignoring them
   * @param acceptChannelPosts map channel posts instead of ignoring them
   */
  record Options(boolean acceptBotMessages, boolean acceptChannelPosts) {
    static Options defaults() {
      return new Options(false, false);
    }
  }

  // Update's payload accessors, in the order the Bot API documents them, for callers that hold only an Update.
  private static final Map<String, Function<Update, Object>> PAYLOADS = new LinkedHashMap<>();

  static {
    PAYLOADS.put("message", Update::message);
    PAYLOADS.put("edited_message", Update::editedMessage);
    PAYLOADS.put("channel_post", Update::channelPost);
    PAYLOADS.put("edited_channel_post", Update::editedChannelPost);
    PAYLOADS.put("business_connection", Update::businessConnection);
    PAYLOADS.put("business_message", Update::businessMessage);
    PAYLOADS.put("edited_business_message", Update::editedBusinessMessage);
    PAYLOADS.put("deleted_business_messages", Update::deletedBusinessMessages);
    PAYLOADS.put("message_reaction", Update::messageReaction);
    PAYLOADS.put("message_reaction_count", Update::messageReactionCount);
    PAYLOADS.put("inline_query", Update::inlineQuery);
    PAYLOADS.put("chosen_inline_result", Update::chosenInlineResult);
    PAYLOADS.put("callback_query", Update::callbackQuery);
    PAYLOADS.put("shipping_query", Update::shippingQuery);
    PAYLOADS.put("pre_checkout_query", Update::preCheckoutQuery);
    PAYLOADS.put("purchased_paid_media", Update::purchasedPaidMedia);
    PAYLOADS.put("poll", Update::poll);
    PAYLOADS.put("poll_answer", Update::pollAnswer);
    PAYLOADS.put("my_chat_member", Update::myChatMember);
    PAYLOADS.put("chat_member", Update::chatMember);
    PAYLOADS.put("chat_join_request", Update::chatJoinRequest);
    PAYLOADS.put("chat_boost", Update::chatBoost);
    PAYLOADS.put("removed_chat_boost", Update::removedChatBoost);
    PAYLOADS.put("managed_bot", Update::managedBot);
    PAYLOADS.put("guest_message", Update::guestMessage);
  }

  private final Options options;

  UpdateMapper() {
    this(Options.defaults());
  }

  UpdateMapper(Options options) {
    this.options = options == null ? Options.defaults() : options;
  }

  Options options() {
    return options;
  }

  /** Maps an update as received; the payload kind comes from the JSON, so payloads pengrad drops are still named. */
  Inbound map(RawUpdates.Raw raw) {
    if (raw == null) {
      return new Inbound.Unparsable(RawUpdates.NO_ID, "update: missing");
    }
    long id = raw.updateId();
    if (raw.parseError() != null) {
      return new Inbound.Unparsable(id, raw.parseError());
    }
    if (raw.parsed() == null) {
      return new Inbound.Unparsable(id, "update: not parsed");
    }
    return mapSafely(id, raw.kind() == null ? RawUpdates.EMPTY : raw.kind(), raw.parsed());
  }

  /**
   * Maps an update pengrad parsed. Payloads pengrad does not know were dropped by it, so such an update maps to
   * {@code Unknown("empty")}; prefer {@link #map(RawUpdates.Raw)}.
   */
  Inbound map(Update update) {
    if (update == null) {
      return new Inbound.Unparsable(RawUpdates.NO_ID, "update: missing");
    }
    long id = update.updateId() == null || update.updateId() < 0 ? RawUpdates.NO_ID : update.updateId();
    String kind = RawUpdates.EMPTY;
    for (Map.Entry<String, Function<Update, Object>> p : PAYLOADS.entrySet()) {
      if (p.getValue().apply(update) != null) {
        kind = p.getKey();
        break;
      }
    }
    return mapSafely(id, kind, update);
  }

  private Inbound mapSafely(long id, String kind, Update update) {
    try {
      if (id < 0) {
        return new Inbound.Unparsable(id, "update_id: missing or not a non-negative integer");
      }
      return switch (kind) {
        case "message" -> message(id, kind, update.message(), false, false);
        case "edited_message" -> message(id, kind, update.editedMessage(), true, false);
        case "channel_post" -> message(id, kind, update.channelPost(), false, true);
        case "edited_channel_post" -> message(id, kind, update.editedChannelPost(), true, true);
        case "my_chat_member" -> membership(id, kind, update.myChatMember());
        case "callback_query" -> callback(id, kind, update.callbackQuery());
        default -> new Inbound.Unknown(id, kind);
      };
    } catch (BadField e) {
      return new Inbound.Unparsable(id, RawUpdates.printable(e.getMessage()));
    } catch (InvalidInputException e) {
      return new Inbound.Unparsable(id, RawUpdates.printable(kind + "." + e.getMessage().replaceFirst(" ", ": ")));
    } catch (RuntimeException | StackOverflowError e) {
      // A bug or a pengrad surprise; still one bad update, never a stuck poller.
      String error = kind + ": " + e;
      error = error.length() > 300 ? error.substring(0, 300) + "…" : error;
      return new Inbound.Unparsable(id, RawUpdates.printable(error));
    }
  }

  private Inbound message(long id, String path, Message m, boolean edited, boolean channelPost) {
    need(m, path);
    Chat chat = chat(path + ".chat", m.chat(), m.from());

    Long migratedTo = m.migrateToChatId();
    if (migratedTo != null) {
      check(migratedTo != 0 && migratedTo != chat.id(), path + ".migrate_to_chat_id", "must be a new chat id",
          migratedTo);
      Chat supergroup = Chat.of(migratedTo, ChatType.SUPERGROUP, chat.title());
      return new Inbound.ChatMigrated(id, chat.id(), migratedTo, supergroup);
    }
    Long migratedFrom = m.migrateFromChatId();
    if (migratedFrom != null) {
      check(migratedFrom != 0 && migratedFrom != chat.id(), path + ".migrate_from_chat_id", "must be another chat id",
          migratedFrom);
      return new Inbound.ChatMigrated(id, migratedFrom, chat.id(), chat);
    }

    boolean inChannel = channelPost || chat.type() == ChatType.CHANNEL;
    if (inChannel && !options.acceptChannelPosts()) {
      return new Inbound.Ignored(id, "channel_post");
    }
    if (!hasContent(m)) {
      return new Inbound.Ignored(id, "service_message");
    }

    User from = m.from();
    if (!inChannel && (m.senderChat() != null || from == null)) {
      return new Inbound.Ignored(id, "anonymous_sender");
    }
    if (from != null && Boolean.TRUE.equals(from.isBot()) && !options.acceptBotMessages()) {
      return new Inbound.Ignored(id, "from_bot");
    }
    TelegramUser user = from != null
        ? user(path + ".from", from)
        : TelegramUser.of(CHANNEL_BOT_ID, "Channel_Bot", "Channel", null, null);

    long messageId = positive(m.messageId(), path + ".message_id");
    Long threadId = null;
    if (Boolean.TRUE.equals(m.isTopicMessage()) && m.messageThreadId() != null) {
      threadId = positive(m.messageThreadId(), path + ".message_thread_id");
    }
    Long replyTo = null;
    Message r = m.replyToMessage();
    if (r != null) {
      boolean topicCreation = r.forumTopicCreated() != null
          || threadId != null && r.messageId() != null && r.messageId().longValue() == threadId;
      if (!topicCreation) {
        replyTo = positive(r.messageId(), path + ".reply_to_message.message_id");
      }
    }
    Instant date = Instant.ofEpochSecond(need(m.date(), path + ".date"));
    Content c = content(path, m);
    IncomingMessage message =
        new IncomingMessage(chat, user, messageId, threadId, replyTo, c.type(), c.text(), date, c.attachment());
    if (edited) {
      Instant editedAt = Instant.ofEpochSecond(need(m.editDate(), path + ".edit_date"));
      return new Inbound.EditedMessage(id, message, editedAt);
    }
    return new Inbound.NewMessage(id, message);
  }

  private Inbound membership(long id, String path, ChatMemberUpdated u) {
    need(u, path);
    User from = need(u.from(), path + ".from");
    Chat chat = chat(path + ".chat", u.chat(), from);
    TelegramUser changedBy = user(path + ".from", from);
    ChatMember now = need(u.newChatMember(), path + ".new_chat_member");
    ChatMember.Status status = need(now.status(), path + ".new_chat_member.status",
        "missing or not one of creator, administrator, member, restricted, left, kicked");
    boolean member = switch (status) {
      case creator, administrator, member -> true;
      case restricted -> now.isMember();
      case left, kicked -> false;
      default -> throw new BadField(path + ".new_chat_member.status: unknown status " + status);
    };
    return new Inbound.BotMembership(id, chat, changedBy, member);
  }

  private Inbound callback(long id, String path, CallbackQuery q) {
    need(q, path);
    String queryId = need(q.id(), path + ".id");
    check(!queryId.isBlank(), path + ".id", "must not be blank", queryId);
    TelegramUser from = user(path + ".from", need(q.from(), path + ".from"));
    Long chatId = null;
    Long messageId = null;
    // An old message arrives as InaccessibleMessage (date 0) but still names its chat and id: enough to edit it.
    MaybeInaccessibleMessage m = q.maybeInaccessibleMessage();
    if (m != null) {
      chatId = m.chat() == null ? null : m.chat().id();
      messageId = m.messageId() == null ? null : m.messageId().longValue();
    }
    return new Inbound.CallbackQuery(id, queryId, from, chatId, messageId, q.data());
  }

  private static Chat chat(String path, com.pengrad.telegrambot.model.Chat c, User user) {
    need(c, path);
    long id = need(c.id(), path + ".id");
    com.pengrad.telegrambot.model.Chat.Type t =
        need(c.type(), path + ".type", "missing or not one of private, group, supergroup, channel");
    ChatType type = switch (t) {
      case Private -> ChatType.PRIVATE;
      case group -> ChatType.GROUP;
      case supergroup -> ChatType.SUPERGROUP;
      case channel -> ChatType.CHANNEL;
      default -> throw new BadField(path + ".type: unknown chat type " + t);
    };
    check(id != 0 && id != Long.MIN_VALUE, path + ".id", "must be a non-zero chat id", id);
    check(type != ChatType.PRIVATE || id > 0, path + ".id", "must be positive for a private chat", id);
    String title = c.title();
    if (type == ChatType.PRIVATE) {
      // A private chat is named after the user; the chat object carries the name, the sender is the fallback.
      title = name(c.firstName(), c.lastName(), c.username());
      if (title.isEmpty() && user != null) {
        title = name(user.firstName(), user.lastName(), user.username());
      }
    }
    return Chat.of(id, type, title);
  }

  private static TelegramUser user(String path, User u) {
    long id = need(u.id(), path + ".id");
    check(id > 0 && id <= TelegramUser.MAX_ID, path + ".id", "must be in 1.." + TelegramUser.MAX_ID, id);
    return TelegramUser.of(id, u.username(), u.firstName(), u.lastName(), u.languageCode());
  }

  private static String name(String first, String last, String username) {
    String n = ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
    return n.isEmpty() && username != null ? username : n;
  }

  private static boolean hasContent(Message m) {
    return m.text() != null || m.caption() != null
        || m.animation() != null || m.photo() != null || m.video() != null || m.voice() != null
        || m.videoNote() != null || m.audio() != null || m.document() != null || m.sticker() != null
        || m.contact() != null || m.location() != null || m.venue() != null || m.poll() != null || m.dice() != null
        || m.game() != null || m.story() != null || m.checklist() != null || m.paidMedia() != null
        || m.livePhoto() != null || m.invoice() != null || m.giveaway() != null;
  }

  private record Content(MessageType type, String text, Attachment attachment) {}

  private static Content content(String path, Message m) {
    String text = m.text() != null ? m.text() : m.caption() != null ? m.caption() : "";
    if (m.animation() != null) {
      var a = m.animation();
      return file(MessageType.ANIMATION, text, path + ".animation", a.fileId(), a.fileUniqueId(), a.fileName(),
          a.mimeType(), a.fileSize());
    }
    if (m.photo() != null) {
      PhotoSize p = largest(m.photo(), path + ".photo");
      return file(MessageType.PHOTO, text, path + ".photo", p.fileId(), p.fileUniqueId(), null, null, p.fileSize());
    }
    if (m.video() != null) {
      var v = m.video();
      return file(MessageType.VIDEO, text, path + ".video", v.fileId(), v.fileUniqueId(), v.fileName(), v.mimeType(),
          v.fileSize());
    }
    if (m.voice() != null) {
      var v = m.voice();
      return file(MessageType.VOICE, text, path + ".voice", v.fileId(), v.fileUniqueId(), null, v.mimeType(),
          v.fileSize());
    }
    if (m.videoNote() != null) {
      var v = m.videoNote();
      return file(MessageType.OTHER, text, path + ".video_note", v.fileId(), v.fileUniqueId(), null, null,
          v.fileSize());
    }
    if (m.audio() != null) {
      var a = m.audio();
      return file(MessageType.OTHER, text, path + ".audio", a.fileId(), a.fileUniqueId(), a.fileName(), a.mimeType(),
          a.fileSize());
    }
    if (m.document() != null) {
      var d = m.document();
      return file(MessageType.DOCUMENT, text, path + ".document", d.fileId(), d.fileUniqueId(), d.fileName(),
          d.mimeType(), d.fileSize());
    }
    if (m.sticker() != null) {
      var s = m.sticker();
      String emoji = s.emoji() == null ? "" : s.emoji();
      return file(MessageType.STICKER, emoji, path + ".sticker", s.fileId(), s.fileUniqueId(), null,
          stickerMimeType(s.isAnimated(), s.isVideo()), s.fileSize());
    }
    if (m.contact() != null) {
      return new Content(MessageType.CONTACT, contactLine(m.contact()), null);
    }
    if (m.location() != null || m.venue() != null) {
      return new Content(MessageType.LOCATION, locationLine(path, m.location(), m.venue()), null);
    }
    if (m.poll() != null) {
      String q = m.poll().question();
      return new Content(MessageType.OTHER, q == null ? "poll" : "poll: " + q, null);
    }
    if (m.dice() != null) {
      var d = m.dice();
      return new Content(MessageType.OTHER, ("dice: " + (d.emoji() == null ? "" : d.emoji() + " ")
          + (d.value() == null ? "" : d.value())).strip(), null);
    }
    if (m.text() == null) {
      return new Content(MessageType.OTHER, text, null);
    }
    return new Content(MessageType.TEXT, text, null);
  }

  private static Content file(MessageType type, String text, String path, String fileId, String fileUniqueId,
      String fileName, String mimeType, Long fileSize) {
    check(fileId != null && !fileId.isBlank(), path + ".file_id", "must not be blank", fileId);
    check(fileSize == null || fileSize >= 0, path + ".file_size", "must be >= 0", fileSize);
    return new Content(type, text, new Attachment(type, fileId, fileUniqueId, fileName, mimeType, fileSize));
  }

  /**
   * Telegram lists sizes smallest first, but only by convention: the largest is chosen by pixels, then bytes, and on
   * a tie the later one, which keeps "the last one" for a well-ordered array.
   */
  private static PhotoSize largest(PhotoSize[] sizes, String path) {
    PhotoSize best = null;
    long bestPixels = -1;
    long bestBytes = -1;
    for (PhotoSize p : sizes) {
      if (p == null) {
        continue;
      }
      long pixels = (long) (p.width() == null ? 0 : p.width()) * (p.height() == null ? 0 : p.height());
      long bytes = p.fileSize() == null ? 0 : p.fileSize();
      if (pixels > bestPixels || pixels == bestPixels && bytes >= bestBytes) {
        best = p;
        bestPixels = pixels;
        bestBytes = bytes;
      }
    }
    return need(best, path, "has no sizes");
  }

  // Lets whoever downloads the sticker pick a file extension without another getFile round trip.
  private static String stickerMimeType(Boolean animated, Boolean video) {
    if (Boolean.TRUE.equals(animated)) {
      return "application/x-tgsticker";
    }
    return Boolean.TRUE.equals(video) ? "video/webm" : "image/webp";
  }

  private static String contactLine(Contact c) {
    String name = name(c.firstName(), c.lastName(), null);
    String phone = c.phoneNumber() == null ? "" : c.phoneNumber().strip();
    String line = (name + " " + phone).strip();
    return line.isEmpty() ? "contact" : "contact: " + line;
  }

  private static String locationLine(String path, Location location, Venue venue) {
    Location l = location != null ? location : need(venue.location(), path + ".venue.location");
    float lat = need(l.latitude(), path + ".location.latitude");
    float lon = need(l.longitude(), path + ".location.longitude");
    check(lat >= -90 && lat <= 90, path + ".location.latitude", "must be in -90..90", lat);
    check(lon >= -180 && lon <= 180, path + ".location.longitude", "must be in -180..180", lon);
    String line = "location: " + plain(lat) + "," + plain(lon);
    if (venue != null) {
      String place = name(venue.title(), null, null);
      String address = venue.address() == null ? "" : venue.address().strip();
      String where = place.isEmpty() ? address : address.isEmpty() ? place : place + ", " + address;
      if (!where.isEmpty()) {
        line += " (" + where + ")";
      }
    }
    return line;
  }

  // Float.toString would print a point near the equator as "1.0E-5".
  private static String plain(float degrees) {
    return new BigDecimal(Float.toString(degrees)).stripTrailingZeros().toPlainString();
  }

  private static long positive(Number value, String path) {
    long v = need(value, path).longValue();
    check(v > 0, path, "must be > 0", v);
    return v;
  }

  private static <T> T need(T value, String path) {
    return need(value, path, "missing");
  }

  private static <T> T need(T value, String path, String problem) {
    if (value == null) {
      throw new BadField(path + ": " + problem);
    }
    return value;
  }

  private static void check(boolean ok, String path, String rule, Object value) {
    if (!ok) {
      String shown = value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
      throw new BadField(path + ": " + rule + ", was " + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown));
    }
  }

  /** A field that cannot be mapped; cheap (no stack trace) because fuzzed or hostile input may produce many. */
  private static final class BadField extends RuntimeException {
    BadField(String message) {
      super(message, null, false, false);
    }
  }
}
