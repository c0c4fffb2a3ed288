package dev.tgsupport.telegram.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Realistic Bot API update JSON, with field names exactly as Telegram sends them, for
 * {@link FakeTelegramServer#enqueue(String)} and for parser tests. Dates are deterministic
 * ({@link #BASE_DATE} + update_id) so the same arguments always give the same text; file ids are fake but shaped like
 * Telegram's.
 *
 * <p>Chat ids pick the chat type as Telegram's id ranges do: positive is a private chat with that user,
 * {@code -100…} (13+ digits) a supergroup, any other negative id a basic group. Messages from "the bot" use
 * {@link #BOT_ID}, the id of {@link FakeTelegramServer#DEFAULT_TOKEN}. Stateless and thread-safe.
 */
public final class UpdateSamples {

  /** The bot user of the default fake token. */
  public static final long BOT_ID = 123456L;
  public static final String BOT_USERNAME = "tgsupport_test_bot";
  public static final String BOT_FIRST_NAME = "Support Bot";
  /** 2026-01-01T00:00:00Z. */
  public static final long BASE_DATE = 1_767_225_600L;

  private UpdateSamples() {}

  // ------------------------------------------------------------------------------------------------ text

  /** A text message from {@code userId} in the private chat with them ({@code chat.id == userId}). */
  public static String privateText(long updateId, long userId, int messageId, String text) {
    return text(updateId, userId, userId, messageId, text);
  }

  /** A text message in a basic group ({@code chatId} negative, not {@code -100…}). */
  public static String groupText(long updateId, long chatId, long userId, int messageId, String text) {
    requireGroup(chatId);
    return text(updateId, chatId, userId, messageId, text);
  }

  /** A text message in a (non-forum) supergroup; {@code chatId} should be a {@code -100…} id. */
  public static String supergroupText(long updateId, long chatId, long userId, int messageId, String text) {
    ObjectNode message = message(updateId, chatJson(chatId, ChatType.SUPERGROUP, false), userId, messageId);
    message.put("text", text);
    return update(updateId, "message", message);
  }

  /** A text message in whatever chat type {@code chatId} implies. */
  public static String text(long updateId, long chatId, long userId, int messageId, String text) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    message.put("text", text);
    addCommandEntity(message, text);
    return update(updateId, "message", message);
  }

  /** A reply to one of the bot's messages, e.g. an operator answering a ticket message. */
  public static String replyToBot(long updateId, long chatId, long userId, int messageId, int repliedMessageId,
      String text) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ObjectNode replied = baseMessage(updateId - 1, chatJson(chatId), repliedMessageId);
    replied.set("from", botUser());
    replied.put("text", "Ticket #" + repliedMessageId + " created");
    message.set("reply_to_message", replied);
    message.put("text", text);
    return update(updateId, "message", message);
  }

  /** A reply to another user's message. */
  public static String replyToUser(long updateId, long chatId, long userId, int messageId, int repliedMessageId,
      long repliedUserId, String text) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ObjectNode replied = baseMessage(updateId - 1, chatJson(chatId), repliedMessageId);
    replied.set("from", user(repliedUserId));
    replied.put("text", "earlier message " + repliedMessageId);
    message.set("reply_to_message", replied);
    message.put("text", text);
    return update(updateId, "message", message);
  }

  /** {@code edited_message}: same message_id, new text, {@code edit_date} set. */
  public static String editedText(long updateId, long chatId, long userId, int messageId, String newText) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    message.put("date", BASE_DATE + updateId - 60);
    message.put("edit_date", BASE_DATE + updateId);
    message.put("text", newText);
    return update(updateId, "edited_message", message);
  }

  /** A message from another bot ({@code from.is_bot: true}); bots in groups never see these unless admins. */
  public static String fromOtherBot(long updateId, long chatId, long botUserId, int messageId, String text) {
    ObjectNode message = baseMessage(updateId, chatJson(chatId), messageId);
    ObjectNode from = user(botUserId);
    from.put("is_bot", true);
    from.put("first_name", "Other Bot");
    from.put("username", "other_" + botUserId + "_bot");
    from.remove("language_code");
    message.set("from", from);
    message.put("text", text);
    return update(updateId, "message", message);
  }

  // ------------------------------------------------------------------------------------------------ media

  /** A photo: three PhotoSize entries, largest last, with an optional caption ({@code null} for none). */
  public static String photo(long updateId, long chatId, long userId, int messageId, String caption) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ArrayNode sizes = message.putArray("photo");
    int[][] dims = {{90, 67}, {320, 240}, {1280, 960}};
    int[] bytes = {1_402, 18_915, 112_734};
    for (int i = 0; i < dims.length; i++) {
      ObjectNode size = sizes.addObject();
      size.put("file_id", "AgACAgIAAxkBAAI" + messageId + "Photo" + i + "_" + updateId);
      size.put("file_unique_id", "AQADPhoto" + messageId + i);
      size.put("file_size", bytes[i]);
      size.put("width", dims[i][0]);
      size.put("height", dims[i][1]);
    }
    caption(message, caption);
    return update(updateId, "message", message);
  }

  /** A document with file name, MIME type and optional caption. */
  public static String document(long updateId, long chatId, long userId, int messageId, String fileName,
      String mimeType, String caption) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ObjectNode document = message.putObject("document");
    document.put("file_name", fileName);
    document.put("mime_type", mimeType);
    document.put("file_id", "BQACAgIAAxkBAAI" + messageId + "Doc_" + updateId);
    document.put("file_unique_id", "AgADDoc" + messageId);
    document.put("file_size", 48_213);
    caption(message, caption);
    return update(updateId, "message", message);
  }

  /** A voice note (OGG/Opus). */
  public static String voice(long updateId, long chatId, long userId, int messageId, int durationSeconds) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ObjectNode voice = message.putObject("voice");
    voice.put("duration", durationSeconds);
    voice.put("mime_type", "audio/ogg");
    voice.put("file_id", "AwACAgIAAxkBAAI" + messageId + "Voice_" + updateId);
    voice.put("file_unique_id", "AgADVoice" + messageId);
    voice.put("file_size", 3_000 * Math.max(1, durationSeconds));
    return update(updateId, "message", message);
  }

  /** A video with an optional caption. */
  public static String video(long updateId, long chatId, long userId, int messageId, String caption) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ObjectNode video = message.putObject("video");
    video.put("duration", 12);
    video.put("width", 1280);
    video.put("height", 720);
    video.put("file_name", "clip.mp4");
    video.put("mime_type", "video/mp4");
    video.set("thumbnail", thumbnail(messageId, updateId));
    video.put("file_id", "BAACAgIAAxkBAAI" + messageId + "Video_" + updateId);
    video.put("file_unique_id", "AgADVideo" + messageId);
    video.put("file_size", 1_048_576);
    caption(message, caption);
    return update(updateId, "message", message);
  }

  /** A GIF: Telegram sets both {@code animation} and {@code document} to the same file. */
  public static String animation(long updateId, long chatId, long userId, int messageId, String caption) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    String fileId = "CgACAgIAAxkBAAI" + messageId + "Anim_" + updateId;
    ObjectNode animation = message.putObject("animation");
    animation.put("file_name", "funny.gif.mp4");
    animation.put("mime_type", "video/mp4");
    animation.put("duration", 3);
    animation.put("width", 320);
    animation.put("height", 240);
    animation.set("thumbnail", thumbnail(messageId, updateId));
    animation.put("file_id", fileId);
    animation.put("file_unique_id", "AgADAnim" + messageId);
    animation.put("file_size", 204_800);
    ObjectNode document = message.putObject("document");
    document.put("file_name", "funny.gif.mp4");
    document.put("mime_type", "video/mp4");
    document.set("thumbnail", thumbnail(messageId, updateId));
    document.put("file_id", fileId);
    document.put("file_unique_id", "AgADAnim" + messageId);
    document.put("file_size", 204_800);
    caption(message, caption);
    return update(updateId, "message", message);
  }

  /** A regular static sticker with its emoji. */
  public static String sticker(long updateId, long chatId, long userId, int messageId, String emoji) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ObjectNode sticker = message.putObject("sticker");
    sticker.put("width", 512);
    sticker.put("height", 512);
    sticker.put("emoji", emoji);
    sticker.put("set_name", "SupportStickers");
    sticker.put("is_animated", false);
    sticker.put("is_video", false);
    sticker.put("type", "regular");
    sticker.put("file_id", "CAACAgIAAxkBAAI" + messageId + "Sticker_" + updateId);
    sticker.put("file_unique_id", "AgADSticker" + messageId);
    sticker.put("file_size", 23_552);
    return update(updateId, "message", message);
  }

  /** A shared contact. */
  public static String contact(long updateId, long chatId, long userId, int messageId, String phoneNumber,
      String firstName) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ObjectNode contact = message.putObject("contact");
    contact.put("phone_number", phoneNumber);
    contact.put("first_name", firstName);
    contact.put("user_id", userId);
    return update(updateId, "message", message);
  }

  /** A shared location. */
  public static String location(long updateId, long chatId, long userId, int messageId, double latitude,
      double longitude) {
    ObjectNode message = message(updateId, chatJson(chatId), userId, messageId);
    ObjectNode location = message.putObject("location");
    location.put("latitude", latitude);
    location.put("longitude", longitude);
    return update(updateId, "message", message);
  }

  // ------------------------------------------------------------------------------------------------ topics, threads

  /**
   * A message in a forum topic: {@code is_topic_message: true}, {@code message_thread_id}, and a
   * {@code reply_to_message} that is the topic's creation service message ({@code forum_topic_created},
   * {@code message_id == message_thread_id}), not a real reply.
   */
  public static String forumTopicMessage(long updateId, long chatId, long userId, int messageId, int threadId,
      String text) {
    ObjectNode chat = chatJson(chatId, ChatType.SUPERGROUP, true);
    ObjectNode message = message(updateId, chat, userId, messageId);
    message.put("message_thread_id", threadId);
    ObjectNode created = baseMessage(updateId - 1, chat.deepCopy(), threadId);
    created.set("from", user(userId));
    created.put("message_thread_id", threadId);
    ObjectNode topic = created.putObject("forum_topic_created");
    topic.put("name", "Ticket " + threadId);
    topic.put("icon_color", 7322096);
    created.put("is_topic_message", true);
    message.set("reply_to_message", created);
    message.put("text", text);
    message.put("is_topic_message", true);
    return update(updateId, "message", message);
  }

  /**
   * A reply chain in a non-forum supergroup: {@code message_thread_id} is set (the chain's root) but
   * {@code is_topic_message} is not, and sending with that thread id would fail.
   */
  public static String supergroupReplyChain(long updateId, long chatId, long userId, int messageId, int threadId,
      int repliedMessageId, String text) {
    ObjectNode chat = chatJson(chatId, ChatType.SUPERGROUP, false);
    ObjectNode message = message(updateId, chat, userId, messageId);
    message.put("message_thread_id", threadId);
    ObjectNode replied = baseMessage(updateId - 1, chat.deepCopy(), repliedMessageId);
    replied.set("from", user(userId + 1));
    if (repliedMessageId != threadId) {
      replied.put("message_thread_id", threadId);
    }
    replied.put("text", "earlier message " + repliedMessageId);
    message.set("reply_to_message", replied);
    message.put("text", text);
    return update(updateId, "message", message);
  }

  // ------------------------------------------------------------------------------------------------ service

  /** The service message in the old basic group: {@code migrate_to_chat_id}. */
  public static String groupMigratedTo(long updateId, long oldChatId, long newChatId, long userId, int messageId) {
    ObjectNode message = message(updateId, chatJson(oldChatId, ChatType.GROUP, false), userId, messageId);
    message.put("migrate_to_chat_id", newChatId);
    return update(updateId, "message", message);
  }

  /** The service message in the new supergroup: {@code migrate_from_chat_id}. */
  public static String supergroupMigratedFrom(long updateId, long newChatId, long oldChatId, long userId,
      int messageId) {
    ObjectNode message = message(updateId, chatJson(newChatId, ChatType.SUPERGROUP, false), userId, messageId);
    message.put("migrate_from_chat_id", oldChatId);
    return update(updateId, "message", message);
  }

  /** {@code my_chat_member}: {@code userId} added the bot (status left → member). */
  public static String botAdded(long updateId, long chatId, long userId) {
    return myChatMember(updateId, chatId, userId, "left", "member");
  }

  /**
   * {@code my_chat_member}: the bot was removed ("left"), or banned/blocked ("kicked"; in a private chat this is the
   * user blocking the bot).
   */
  public static String botRemoved(long updateId, long chatId, long userId, boolean kicked) {
    return myChatMember(updateId, chatId, userId, "member", kicked ? "kicked" : "left");
  }

  private static String myChatMember(long updateId, long chatId, long userId, String oldStatus, String newStatus) {
    ObjectNode change = Json.object();
    change.set("chat", chatJson(chatId));
    change.set("from", user(userId));
    change.put("date", BASE_DATE + updateId);
    change.set("old_chat_member", member(oldStatus));
    change.set("new_chat_member", member(newStatus));
    return update(updateId, "my_chat_member", change);
  }

  // ------------------------------------------------------------------------------------------------ other updates

  /** A button press on the bot's message {@code messageId}, carrying {@code data}. */
  public static String callbackQuery(long updateId, String callbackQueryId, long chatId, long userId, int messageId,
      String data) {
    ObjectNode query = Json.object();
    query.put("id", callbackQueryId);
    query.set("from", user(userId));
    ObjectNode message = baseMessage(updateId - 1, chatJson(chatId), messageId);
    message.set("from", botUser());
    message.put("text", "Ticket #" + messageId);
    ArrayNode row = message.putObject("reply_markup").putArray("inline_keyboard").addArray();
    ObjectNode button = row.addObject();
    button.put("text", "Close");
    button.put("callback_data", data);
    query.set("message", message);
    query.put("chat_instance", Long.toString(-4_000_000_000_000_000_000L + chatId));
    query.put("data", data);
    return update(updateId, "callback_query", query);
  }

  /** A post in a channel: {@code sender_chat} is the channel itself and there is no {@code from}. */
  public static String channelPost(long updateId, long channelId, int messageId, String text) {
    ObjectNode chat = chatJson(channelId, ChatType.CHANNEL, false);
    ObjectNode message = baseMessage(updateId, chat, messageId);
    message.set("sender_chat", chat.deepCopy());
    message.put("text", text);
    return update(updateId, "channel_post", message);
  }

  /** A reaction change; only delivered when {@code message_reaction} is listed in allowed_updates. */
  public static String messageReaction(long updateId, long chatId, long userId, int messageId, String emoji) {
    ObjectNode reaction = Json.object();
    reaction.set("chat", chatJson(chatId));
    reaction.put("message_id", messageId);
    reaction.set("user", user(userId));
    reaction.put("date", BASE_DATE + updateId);
    reaction.putArray("old_reaction");
    ObjectNode added = reaction.putArray("new_reaction").addObject();
    added.put("type", "emoji");
    added.put("emoji", emoji);
    return update(updateId, "message_reaction", reaction);
  }

  /** An update type from a future Bot API version, which a parser must skip, not fail on. */
  public static String unknownType(long updateId) {
    ObjectNode future = Json.object();
    future.put("id", "f-" + updateId);
    future.put("date", BASE_DATE + updateId);
    future.putObject("payload").put("kind", "hologram");
    return update(updateId, "future_update", future);
  }

  /** One sample of each kind above, update ids from {@code firstUpdateId} up; seeds for fuzz tests. */
  public static List<String> corpus(int firstUpdateId) {
    long id = firstUpdateId;
    long user = 1001;
    long group = -4001;
    long supergroup = -1001234567890L;
    long forum = -1009876543210L;
    return List.of(
        privateText(id, user, 10, "Hello, I need help with my order"),
        groupText(id + 1, group, user, 11, "/help@" + BOT_USERNAME),
        supergroupText(id + 2, supergroup, user, 12, "anyone here?"),
        replyToBot(id + 3, supergroup, user, 13, 7, "Here is the answer"),
        photo(id + 4, user, user, 14, "screenshot of the error"),
        document(id + 5, user, user, 15, "invoice.pdf", "application/pdf", "my invoice"),
        voice(id + 6, user, user, 16, 4),
        video(id + 7, user, user, 17, "how it breaks"),
        animation(id + 8, group, user, 18, null),
        sticker(id + 9, user, user, 19, "👍"),
        contact(id + 10, user, user, 20, "+15555550123", "Alice"),
        location(id + 11, user, user, 21, 52.520008, 13.404954),
        editedText(id + 12, user, user, 10, "Hello, I need help with order #42"),
        forumTopicMessage(id + 13, forum, user, 23, 5, "message in a topic"),
        supergroupReplyChain(id + 14, supergroup, user, 24, 12, 12, "replying in a chain"),
        groupMigratedTo(id + 15, group, supergroup, user, 25),
        supergroupMigratedFrom(id + 16, supergroup, group, user, 1),
        botAdded(id + 17, group, user),
        botRemoved(id + 18, group, user, true),
        callbackQuery(id + 19, "4382bfdwdsb323b2d9", user, user, 26, "t:42:close"),
        channelPost(id + 20, -1001112223334L, 27, "Service announcement"),
        fromOtherBot(id + 21, supergroup, 654321, 28, "I am another bot"),
        unknownType(id + 22),
        messageReaction(id + 23, supergroup, user, 12, "🔥"));
  }

  // ------------------------------------------------------------------------------------------------ building blocks

  /** A Telegram user as {@code from} shows it. */
  static ObjectNode user(long userId) {
    ObjectNode user = Json.object();
    user.put("id", userId);
    user.put("is_bot", false);
    user.put("first_name", "Alice");
    user.put("last_name", "Example");
    user.put("username", "alice_" + userId);
    user.put("language_code", "en");
    return user;
  }

  static ObjectNode botUser() {
    ObjectNode bot = Json.object();
    bot.put("id", BOT_ID);
    bot.put("is_bot", true);
    bot.put("first_name", BOT_FIRST_NAME);
    bot.put("username", BOT_USERNAME);
    return bot;
  }

  private static ObjectNode chatJson(long chatId) {
    return chatJson(chatId, ChatType.guessFromId(chatId), false);
  }

  private static ObjectNode chatJson(long chatId, ChatType type, boolean forum) {
    ObjectNode chat = Json.object();
    chat.put("id", chatId);
    if (type == ChatType.PRIVATE) {
      chat.put("first_name", "Alice");
      chat.put("last_name", "Example");
      chat.put("username", "alice_" + chatId);
    } else {
      chat.put("title", switch (type) {
        case GROUP -> "Support group";
        case SUPERGROUP -> forum ? "Support forum" : "Support supergroup";
        default -> "Support news";
      });
    }
    if (forum) {
      chat.put("is_forum", true);
    }
    chat.put("type", type.apiName());
    return chat;
  }

  private static ObjectNode baseMessage(long updateId, ObjectNode chat, int messageId) {
    ObjectNode message = Json.object();
    message.put("message_id", messageId);
    message.set("chat", chat);
    message.put("date", BASE_DATE + updateId);
    return message;
  }

  /** Field order as Telegram writes it: message_id, from, chat, date, then content. */
  private static ObjectNode message(long updateId, ObjectNode chat, long userId, int messageId) {
    ObjectNode message = Json.object();
    message.put("message_id", messageId);
    message.set("from", user(userId));
    message.set("chat", chat);
    message.put("date", BASE_DATE + updateId);
    return message;
  }

  private static ObjectNode member(String status) {
    ObjectNode member = Json.object();
    member.set("user", botUser());
    member.put("status", status);
    if (status.equals("kicked")) {
      member.put("until_date", 0);
    }
    return member;
  }

  private static ObjectNode thumbnail(int messageId, long updateId) {
    ObjectNode thumb = Json.object();
    thumb.put("file_id", "AAMCAgADGQEAAI" + messageId + "Thumb_" + updateId);
    thumb.put("file_unique_id", "AQADThumb" + messageId);
    thumb.put("file_size", 2_048);
    thumb.put("width", 320);
    thumb.put("height", 180);
    return thumb;
  }

  private static void caption(ObjectNode message, String caption) {
    if (caption != null) {
      message.put("caption", caption);
    }
  }

  private static void addCommandEntity(ObjectNode message, String text) {
    if (text.startsWith("/")) {
      int end = text.indexOf(' ');
      ObjectNode entity = message.putArray("entities").addObject();
      entity.put("offset", 0);
      entity.put("length", end < 0 ? text.length() : end);
      entity.put("type", "bot_command");
    }
  }

  private static void requireGroup(long chatId) {
    if (ChatType.guessFromId(chatId) != ChatType.GROUP) {
      throw new IllegalArgumentException("a basic group id is negative and not -100…, was " + chatId);
    }
  }

  private static String update(long updateId, String type, ObjectNode payload) {
    ObjectNode update = Json.object();
    update.put("update_id", updateId);
    update.set(type, payload);
    return Json.write(update);
  }
}
