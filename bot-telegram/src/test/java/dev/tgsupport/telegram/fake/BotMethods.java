package dev.tgsupport.telegram.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The Bot API methods the fake implements and the chat/message state behind them. Every method but getUpdates runs
 * under this object's monitor; getUpdates blocks on the {@link UpdateQueue} instead.
 */
final class BotMethods {

  static final int MAX_TEXT = 4096;
  static final int MAX_CAPTION = 1024;
  static final long MAX_DOWNLOAD = 20L * 1024 * 1024;
  static final String NOT_MODIFIED = "message is not modified: specified new message content and reply markup are "
      + "exactly the same as a current content and reply markup of the message";
  static final String QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Set<String> CHAT_ACTIONS = Set.of("typing", "upload_photo", "record_video", "upload_video",
      "record_voice", "upload_voice", "upload_document", "choose_sticker", "find_location", "record_video_note",
      "upload_video_note");
  private static final Set<Integer> WEBHOOK_PORTS = Set.of(80, 88, 443, 8443);
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
  /** Fields copied by forwardMessage/copyMessage: the content, not the envelope. */
  private static final Set<String> ENVELOPE = Set.of("message_id", "from", "sender_chat", "chat", "date",
      "message_thread_id", "is_topic_message", "reply_to_message", "edit_date", "reply_markup", "forward_origin",
      "external_reply", "quote");

  /** The answer of a successful call: the raw {@code result} JSON and the optional success description. */
  record Result(String resultJson, String description) {
    static Result of(JsonNode node) {
      return new Result(Json.write(node), null);
    }

    static Result ofTrue() {
      return new Result("true", null);
    }
  }

  @FunctionalInterface
  private interface Handler {
    Result handle(Params p) throws InterruptedException;
  }

  static final class StoredMessage {
    final int id;
    final boolean fromBot;
    final ObjectNode json;
    boolean deleted;

    StoredMessage(int id, boolean fromBot, ObjectNode json) {
      this.id = id;
      this.fromBot = fromBot;
      this.json = json;
    }
  }

  static final class ChatState {
    final long id;
    ChatType type;
    boolean forum;
    String title;
    String username;
    String firstName;
    int lastMessageId;
    final Map<Integer, StoredMessage> messages = new HashMap<>();
    Long migratedTo;
    String forbidden;
    final Set<Integer> closedTopics = new HashSet<>();
    final Set<Integer> deletedTopics = new HashSet<>();
    // The bot's administrator rights in groups; real bots get them from the group's owner.
    boolean canDeleteMessages = true;
    boolean canRestrictMembers = true;
    /** Restricted members → until when (epoch seconds; 0 = forever). */
    final Map<Long, Long> restrictedUntil = new HashMap<>();

    ChatState(long id, ChatType type, boolean forum) {
      this.id = id;
      this.type = type;
      this.forum = forum;
    }

    String kind() {
      return type == ChatType.SUPERGROUP ? "supergroup" : type == ChatType.CHANNEL ? "channel" : "group";
    }
  }

  /** Where and how to deliver webhook requests; null fields mean "not set". */
  record WebhookTarget(String url, String secretToken) {}

  private final Map<String, Handler> handlers = new HashMap<>();
  private final Map<String, String> canonicalNames = new HashMap<>();

  private final long botId;
  private final String botUsername;
  private final String botFirstName;
  private final boolean canReadAllGroupMessages;
  private final boolean autoRegisterChats;
  private final boolean strictReplies;
  private final UpdateQueue queue;
  private final FloodControl flood;

  private final Map<Long, ChatState> chats = new HashMap<>();
  private final Map<String, Boolean> callbackQueries = new HashMap<>();
  private final List<SentMessage> sent = new ArrayList<>();
  private final Map<String, byte[]> files = new HashMap<>();
  private final Map<String, String> filePaths = new LinkedHashMap<>();
  private String commands = "[]";
  private int fileCounter;

  private String webhookUrl = "";
  private String webhookSecret;
  private int webhookMaxConnections = 40;
  private long lastErrorDate;
  private String lastErrorMessage;

  BotMethods(long botId, String botUsername, String botFirstName, boolean canReadAllGroupMessages,
      boolean autoRegisterChats, boolean strictReplies, UpdateQueue queue, FloodControl flood) {
    this.botId = botId;
    this.botUsername = botUsername;
    this.botFirstName = botFirstName;
    this.canReadAllGroupMessages = canReadAllGroupMessages;
    this.autoRegisterChats = autoRegisterChats;
    this.strictReplies = strictReplies;
    this.queue = queue;
    this.flood = flood;

    register("getMe", p -> Result.of(getMe()));
    register("getUpdates", this::getUpdates);
    register("setWebhook", this::setWebhook);
    register("deleteWebhook", this::deleteWebhook);
    register("getWebhookInfo", p -> getWebhookInfo());
    register("sendMessage", this::sendMessage);
    for (String media : List.of("photo", "document", "video", "animation", "voice", "audio", "sticker",
        "video_note")) {
      register("send" + camel(media), p -> sendMedia("send" + camel(media), media, p));
    }
    register("forwardMessage", p -> forwardOrCopy(p, true));
    register("copyMessage", p -> forwardOrCopy(p, false));
    register("editMessageText", p -> edit(p, "text"));
    register("editMessageCaption", p -> edit(p, "caption"));
    register("editMessageReplyMarkup", p -> edit(p, "reply_markup"));
    register("deleteMessage", this::deleteMessage);
    register("sendChatAction", this::sendChatAction);
    register("answerCallbackQuery", this::answerCallbackQuery);
    register("getChat", this::getChat);
    register("getChatMember", this::getChatMember);
    register("getFile", this::getFile);
    register("restrictChatMember", p -> memberChange(p, true));
    register("banChatMember", p -> memberChange(p, false));
    register("unbanChatMember", p -> memberChange(p, false));
    register("createForumTopic", this::createForumTopic);
    register("editForumTopic", p -> topicChange(p, "edit"));
    register("closeForumTopic", p -> topicChange(p, "close"));
    register("reopenForumTopic", p -> topicChange(p, "reopen"));
    register("deleteForumTopic", p -> topicChange(p, "delete"));
    register("setMyCommands", this::setMyCommands);
    register("getMyCommands", p -> new Result(commands, null));
    register("deleteMyCommands", p -> {
      commands = "[]";
      return Result.ofTrue();
    });
  }

  private void register(String name, Handler handler) {
    handlers.put(name.toLowerCase(Locale.ROOT), handler);
    canonicalNames.put(name.toLowerCase(Locale.ROOT), name);
  }

  /** The canonical spelling of a method (Telegram's names are case-insensitive), or null when unknown. */
  String canonicalName(String method) {
    return canonicalNames.get(method.toLowerCase(Locale.ROOT));
  }

  Result dispatch(String canonical, Params p) throws InterruptedException {
    Handler handler = handlers.get(canonical.toLowerCase(Locale.ROOT));
    if (canonical.equals("getUpdates")) {
      return handler.handle(p);
    }
    synchronized (this) {
      return handler.handle(p);
    }
  }

  // ---------------------------------------------------------------------------------------------- scenario setup

  synchronized void registerChat(long id, ChatType type, boolean forum, String title) {
    ChatState chat = chats.computeIfAbsent(id, key -> new ChatState(id, type, forum));
    chat.type = type;
    chat.forum = forum;
    if (title != null) {
      chat.title = title;
    }
  }

  synchronized void migrate(long oldId, long newId) {
    chat(oldId).migratedTo = newId;
    ChatState target = chat(newId);
    target.type = ChatType.SUPERGROUP;
  }

  synchronized void forbid(long chatId, boolean kicked) {
    ChatState chat = chat(chatId);
    chat.forbidden = chat.type == ChatType.PRIVATE ? "bot was blocked by the user"
        : kicked ? "bot was kicked from the " + chat.kind() + " chat"
        : "bot is not a member of the " + chat.kind() + " chat";
  }

  synchronized void botRights(long chatId, boolean canDeleteMessages, boolean canRestrictMembers) {
    ChatState chat = chat(chatId);
    chat.canDeleteMessages = canDeleteMessages;
    chat.canRestrictMembers = canRestrictMembers;
  }

  synchronized Optional<Long> restrictedUntil(long chatId, long userId) {
    ChatState chat = chats.get(chatId);
    return chat == null ? Optional.empty() : Optional.ofNullable(chat.restrictedUntil.get(userId));
  }

  synchronized void restore(long chatId) {
    ChatState chat = chat(chatId);
    chat.forbidden = null;
    chat.migratedTo = null;
  }

  synchronized void addFile(String fileId, byte[] content) {
    files.put(fileId, content.clone());
  }

  synchronized Optional<byte[]> download(String filePath) {
    String fileId = filePaths.get(filePath);
    return fileId == null ? Optional.empty() : Optional.of(fileContent(fileId));
  }

  synchronized List<SentMessage> sent() {
    return List.copyOf(sent);
  }

  synchronized Optional<String> messageText(long chatId, int messageId) {
    ChatState chat = chats.get(chatId);
    StoredMessage msg = chat == null ? null : chat.messages.get(messageId);
    if (msg == null || msg.deleted) {
      return Optional.empty();
    }
    JsonNode text = msg.json.has("text") ? msg.json.get("text") : msg.json.get("caption");
    return Optional.of(text == null ? "" : text.asText());
  }

  synchronized boolean isDeleted(long chatId, int messageId) {
    ChatState chat = chats.get(chatId);
    StoredMessage msg = chat == null ? null : chat.messages.get(messageId);
    return msg != null && msg.deleted;
  }

  synchronized WebhookTarget webhookTarget() {
    return webhookUrl.isEmpty() ? null : new WebhookTarget(webhookUrl, webhookSecret);
  }

  synchronized void webhookFailed(String message) {
    lastErrorDate = Instant.now().getEpochSecond();
    lastErrorMessage = message;
  }

  synchronized Optional<String> webhookUrl() {
    return webhookUrl.isEmpty() ? Optional.empty() : Optional.of(webhookUrl);
  }

  /**
   * Learns chats, messages and callback query ids from an enqueued update, so later calls that refer to them behave
   * as on Telegram; applies service messages (migration) and the bot's own membership changes.
   */
  synchronized void observe(JsonNode update) {
    for (String field : List.of("message", "edited_message", "channel_post", "edited_channel_post")) {
      if (update.has(field)) {
        observeMessage(update.get(field));
      }
    }
    JsonNode callback = update.get("callback_query");
    if (callback != null) {
      if (callback.hasNonNull("id")) {
        callbackQueries.putIfAbsent(callback.get("id").asText(), false);
      }
      if (callback.has("message")) {
        observeMessage(callback.get("message"));
      }
    }
    JsonNode member = update.get("my_chat_member");
    if (member != null && member.has("chat")) {
      ChatState chat = observeChat(member.get("chat"));
      if (chat != null && member.path("new_chat_member").path("user").path("id").asLong() == botId) {
        String status = member.path("new_chat_member").path("status").asText();
        if (status.equals("kicked") || status.equals("left")) {
          chat.forbidden = null;
          forbid(chat.id, status.equals("kicked"));
        } else {
          chat.forbidden = null;
        }
      }
    }
    for (String field : List.of("message_reaction", "chat_member", "chat_join_request")) {
      if (update.path(field).has("chat")) {
        observeChat(update.get(field).get("chat"));
      }
    }
  }

  private void observeMessage(JsonNode message) {
    ChatState chat = observeChat(message.get("chat"));
    if (chat == null || !message.has("message_id")) {
      return;
    }
    if (message.has("reply_to_message")) {
      JsonNode replied = message.get("reply_to_message");
      if (replied.has("message_id") && !chat.messages.containsKey(replied.get("message_id").asInt())) {
        store(chat, replied);
      }
    }
    store(chat, message);
    if (message.has("migrate_to_chat_id")) {
      long target = message.get("migrate_to_chat_id").asLong();
      chat.migratedTo = target;
      chat(target).type = ChatType.SUPERGROUP;
    }
  }

  private void store(ChatState chat, JsonNode message) {
    ObjectNode copy = message.deepCopy();
    copy.remove("reply_to_message");
    int id = copy.get("message_id").asInt();
    boolean fromBot = copy.path("from").path("id").asLong() == botId;
    chat.messages.put(id, new StoredMessage(id, fromBot, copy));
    chat.lastMessageId = Math.max(chat.lastMessageId, id);
  }

  private ChatState observeChat(JsonNode json) {
    if (json == null || !json.has("id")) {
      return null;
    }
    long id = json.get("id").asLong();
    ChatType type = switch (json.path("type").asText()) {
      case "private" -> ChatType.PRIVATE;
      case "group" -> ChatType.GROUP;
      case "supergroup" -> ChatType.SUPERGROUP;
      case "channel" -> ChatType.CHANNEL;
      default -> ChatType.guessFromId(id);
    };
    ChatState chat = chats.computeIfAbsent(id, key -> new ChatState(id, type, false));
    chat.type = type;
    if (json.has("is_forum")) {
      chat.forum = json.get("is_forum").asBoolean();
    }
    if (json.has("title")) {
      chat.title = json.get("title").asText();
    }
    if (json.has("username")) {
      chat.username = json.get("username").asText();
    }
    if (json.has("first_name")) {
      chat.firstName = json.get("first_name").asText();
    }
    return chat;
  }

  // ------------------------------------------------------------------------------------------------ the methods

  private ObjectNode botUser() {
    ObjectNode user = Json.object();
    user.put("id", botId);
    user.put("is_bot", true);
    user.put("first_name", botFirstName);
    user.put("username", botUsername);
    return user;
  }

  private ObjectNode getMe() {
    ObjectNode me = botUser();
    me.put("can_join_groups", true);
    me.put("can_read_all_group_messages", canReadAllGroupMessages);
    me.put("supports_inline_queries", false);
    me.put("can_connect_to_business", false);
    me.put("has_main_web_app", false);
    return me;
  }

  private Result getUpdates(Params p) throws InterruptedException {
    Long offset = p.optLong("offset").orElse(null);
    int limit = clamp(p.optInt("limit").orElse(100), 1, 100);
    int timeout = clamp(p.optInt("timeout").orElse(0), 0, 3600);
    List<String> allowed = allowedUpdates(p);
    List<UpdateQueue.Entry> batch = queue.poll(offset, limit, timeout * 1000L, allowed);
    StringJoiner json = new StringJoiner(",", "[", "]");
    batch.forEach(entry -> json.add(entry.json()));
    return new Result(json.toString(), null);
  }

  private static List<String> allowedUpdates(Params p) {
    Optional<JsonNode> json = p.json("allowed_updates");
    if (json.isEmpty()) {
      return null;
    }
    if (!json.get().isArray()) {
      throw ApiException.badRequest("can't parse allowed_updates JSON array");
    }
    List<String> types = new ArrayList<>();
    json.get().forEach(type -> types.add(type.asText()));
    return types;
  }

  private Result setWebhook(Params p) {
    String url = Objects.requireNonNullElse(p.get("url"), "").trim();
    if (url.isEmpty()) {
      return removeWebhook(p);
    }
    validateWebhookUrl(url);
    String secret = p.get("secret_token");
    if (secret != null && !secret.isEmpty() && !SECRET.matcher(secret).matches()) {
      throw ApiException.badRequest("secret token contains unallowed characters");
    }
    List<String> allowed = allowedUpdates(p);
    int maxConnections = clamp(p.optInt("max_connections").orElse(40), 1, 100);
    String newSecret = secret == null || secret.isEmpty() ? null : secret;
    boolean same = url.equals(webhookUrl) && Objects.equals(newSecret, webhookSecret)
        && maxConnections == webhookMaxConnections && (allowed == null || allowed.equals(queue.allowed()));
    if (p.bool("drop_pending_updates")) {
      queue.dropPending();
    }
    if (allowed != null) {
      queue.setAllowed(allowed);
    }
    if (!url.equals(webhookUrl)) {
      lastErrorDate = 0;
      lastErrorMessage = null;
    }
    webhookUrl = url;
    webhookSecret = newSecret;
    webhookMaxConnections = maxConnections;
    queue.setWebhookActive(true);
    return new Result("true", same ? "Webhook is already set" : "Webhook was set");
  }

  private static void validateWebhookUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw ApiException.badRequest("invalid webhook URL specified");
    }
    String scheme = Objects.requireNonNullElse(uri.getScheme(), "").toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw ApiException.badRequest("invalid webhook URL specified");
    }
    // Loopback receivers are the test's own servers: allowed over plain HTTP on any port, unlike on Telegram.
    if (LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
      return;
    }
    if (!scheme.equals("https")) {
      throw ApiException.badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    if (uri.getPort() != -1 && !WEBHOOK_PORTS.contains(uri.getPort())) {
      throw ApiException.badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
    }
  }

  private Result deleteWebhook(Params p) {
    return removeWebhook(p);
  }

  private Result removeWebhook(Params p) {
    if (p.bool("drop_pending_updates")) {
      queue.dropPending();
    }
    boolean wasSet = !webhookUrl.isEmpty();
    webhookUrl = "";
    webhookSecret = null;
    queue.setWebhookActive(false);
    return new Result("true", wasSet ? "Webhook was deleted" : "Webhook is already deleted");
  }

  private Result getWebhookInfo() {
    ObjectNode info = Json.object();
    info.put("url", webhookUrl);
    info.put("has_custom_certificate", false);
    info.put("pending_update_count", queue.pending());
    if (!webhookUrl.isEmpty()) {
      info.put("ip_address", "127.0.0.1");
      info.put("max_connections", webhookMaxConnections);
      List<String> allowed = queue.allowed();
      if (!allowed.isEmpty()) {
        ArrayNode array = info.putArray("allowed_updates");
        allowed.forEach(array::add);
      }
    }
    if (lastErrorMessage != null) {
      info.put("last_error_date", lastErrorDate);
      info.put("last_error_message", lastErrorMessage);
    }
    return Result.of(info);
  }

  private Result sendMessage(Params p) {
    ChatState chat = chatForWrite(p);
    String text = text(p, "text");
    Integer thread = thread(chat, p);
    Reply reply = reply(chat, p);
    JsonNode markup = replyMarkup(p);
    admit(chat);
    ObjectNode message = create(chat, thread, reply, markup);
    message.put("text", text);
    return commit("sendMessage", chat, message, text, thread, reply);
  }

  private Result sendMedia(String method, String field, Params p) {
    ChatState chat = chatForWrite(p);
    if (!p.has(field)) {
      throw ApiException.badRequest("there is no " + field.replace('_', ' ') + " in the request");
    }
    String caption = caption(p);
    Integer thread = thread(chat, p);
    Reply reply = reply(chat, p);
    JsonNode markup = replyMarkup(p);
    admit(chat);
    ObjectNode message = create(chat, thread, reply, markup);
    JsonNode media = media(field, p);
    message.set(field, media);
    if (field.equals("animation")) {
      // Telegram sets document next to animation for backward compatibility.
      message.set("document", media.deepCopy());
    }
    if (!caption.isEmpty()) {
      message.put("caption", caption);
    }
    return commit(method, chat, message, caption, thread, reply);
  }

  private Result forwardOrCopy(Params p, boolean forward) {
    ChatState chat = chatForWrite(p);
    ChatState source = chatRef(p.get("from_chat_id"), false);
    int messageId = p.optInt("message_id").orElse(0);
    StoredMessage original = source.messages.get(messageId);
    if (original == null || original.deleted) {
      throw ApiException.badRequest("message to " + (forward ? "forward" : "copy") + " not found");
    }
    String caption = null;
    if (!forward && p.values.containsKey("caption")) {
      caption = caption(p);
    }
    Integer thread = thread(chat, p);
    Reply reply = forward ? null : reply(chat, p);
    JsonNode markup = forward ? null : replyMarkup(p);
    admit(chat);
    ObjectNode message = create(chat, thread, reply, markup);
    original.json.properties().forEach(field -> {
      if (!ENVELOPE.contains(field.getKey())) {
        message.set(field.getKey(), field.getValue().deepCopy());
      }
    });
    if (caption != null && !message.has("text")) {
      message.put("caption", caption);
    }
    if (forward) {
      ObjectNode origin = message.putObject("forward_origin");
      if (source.type == ChatType.CHANNEL) {
        origin.put("type", "channel");
        origin.set("chat", chatJson(source));
        origin.put("message_id", original.id);
      } else if (original.json.has("from")) {
        origin.put("type", "user");
        origin.set("sender_user", original.json.get("from").deepCopy());
      } else {
        origin.put("type", "chat");
        origin.set("sender_chat", chatJson(source));
      }
      origin.put("date", original.json.path("date").asLong());
    }
    String text = message.has("text") ? message.get("text").asText() : message.path("caption").asText("");
    Result result = commit(forward ? "forwardMessage" : "copyMessage", chat, message, text, thread, reply);
    if (forward) {
      return result;
    }
    ObjectNode id = Json.object();
    id.put("message_id", message.get("message_id").asInt());
    return Result.of(id);
  }

  private Result edit(Params p, String what) {
    String text = what.equals("text") ? text(p, "text") : what.equals("caption") ? caption(p) : null;
    JsonNode markup = replyMarkup(p);
    if (p.has("inline_message_id")) {
      // Inline messages live outside any chat the fake tracks; Telegram answers true for them.
      return Result.ofTrue();
    }
    ChatState chat = chatForWrite(p);
    StoredMessage msg = chat.messages.get(p.optInt("message_id").orElse(0));
    if (msg == null || msg.deleted) {
      throw ApiException.badRequest("message to edit not found");
    }
    if (!msg.fromBot) {
      throw ApiException.badRequest("message can't be edited");
    }
    ObjectNode json = msg.json;
    boolean sameText = true;
    if (what.equals("text")) {
      if (!json.has("text")) {
        throw ApiException.badRequest("there is no text in the message to edit");
      }
      sameText = text.equals(json.get("text").asText());
    } else if (what.equals("caption")) {
      if (json.has("text")) {
        throw ApiException.badRequest("there is no caption in the message to edit");
      }
      sameText = text.equals(json.path("caption").asText(""));
    }
    if (sameText && Objects.equals(markup, json.get("reply_markup"))) {
      throw ApiException.badRequest(NOT_MODIFIED);
    }
    admit(chat);
    if (what.equals("text")) {
      json.put("text", text);
    } else if (what.equals("caption")) {
      if (text.isEmpty()) {
        json.remove("caption");
      } else {
        json.put("caption", text);
      }
    }
    if (markup == null) {
      json.remove("reply_markup");
    } else {
      json.set("reply_markup", markup);
    }
    json.put("edit_date", Instant.now().getEpochSecond());
    return Result.of(json);
  }

  private Result deleteMessage(Params p) {
    ChatState chat = chatForWrite(p);
    StoredMessage msg = chat.messages.get(p.optInt("message_id").orElse(0));
    if (msg == null || msg.deleted) {
      throw ApiException.badRequest("message to delete not found");
    }
    // In groups a bot deletes others' messages only as an administrator with can_delete_messages.
    if (chat.type != ChatType.PRIVATE && !msg.fromBot && !chat.canDeleteMessages) {
      throw ApiException.badRequest("message can't be deleted");
    }
    msg.deleted = true;
    return Result.ofTrue();
  }

  private Result sendChatAction(Params p) {
    ChatState chat = chatForWrite(p);
    if (!CHAT_ACTIONS.contains(Objects.requireNonNullElse(p.get("action"), ""))) {
      throw ApiException.badRequest("wrong parameter action in request");
    }
    thread(chat, p);
    return Result.ofTrue();
  }

  private Result answerCallbackQuery(Params p) {
    String id = p.get("callback_query_id");
    Boolean answered = id == null ? null : callbackQueries.get(id);
    if (answered == null || answered) {
      throw ApiException.badRequest(QUERY_TOO_OLD);
    }
    callbackQueries.put(id, true);
    return Result.ofTrue();
  }

  private Result getChat(Params p) {
    ChatState chat = chatRef(p.get("chat_id"), false);
    ObjectNode info = chatJson(chat);
    info.put("accent_color_id", 0);
    info.put("max_reaction_count", 11);
    return Result.of(info);
  }

  private Result getChatMember(Params p) {
    ChatState chat = chatRef(p.get("chat_id"), false);
    long userId = p.optLong("user_id").orElseThrow(() -> ApiException.badRequest("invalid user_id specified"));
    ObjectNode member = Json.object();
    if (userId == botId) {
      member.set("user", botUser());
      if (chat.type == ChatType.PRIVATE) {
        member.put("status", "member");
      } else {
        member.put("status", "administrator");
        member.put("can_be_edited", false);
        for (String right : List.of("is_anonymous", "can_post_stories", "can_edit_stories", "can_delete_stories")) {
          member.put(right, false);
        }
        for (String right : List.of("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
            "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users", "can_pin_messages",
            "can_manage_topics")) {
          member.put(right, true);
        }
      }
    } else {
      ObjectNode user = member.putObject("user");
      user.put("id", userId);
      user.put("is_bot", false);
      user.put("first_name", "User " + userId);
      member.put("status", "member");
    }
    return Result.of(member);
  }

  private Result getFile(Params p) {
    String fileId = p.get("file_id");
    if (fileId == null || fileId.isBlank()) {
      throw ApiException.badRequest("invalid file_id");
    }
    byte[] content = fileContent(fileId);
    if (content.length > MAX_DOWNLOAD) {
      throw ApiException.badRequest("file is too big");
    }
    String path = null;
    for (Map.Entry<String, String> entry : filePaths.entrySet()) {
      if (entry.getValue().equals(fileId)) {
        path = entry.getKey();
      }
    }
    if (path == null) {
      path = "documents/file_" + (++fileCounter) + ".bin";
      filePaths.put(path, fileId);
    }
    ObjectNode file = Json.object();
    file.put("file_id", fileId);
    file.put("file_unique_id", uniqueId(fileId));
    file.put("file_size", content.length);
    file.put("file_path", path);
    return Result.of(file);
  }

  private byte[] fileContent(String fileId) {
    byte[] content = files.get(fileId);
    return content != null ? content : ("fake content of " + fileId).getBytes(StandardCharsets.UTF_8);
  }

  private Result memberChange(Params p, boolean restrict) {
    ChatState chat = chatForWrite(p);
    if (p.optLong("user_id").isEmpty()) {
      throw ApiException.badRequest("invalid user_id specified");
    }
    if (chat.type == ChatType.PRIVATE) {
      throw ApiException.badRequest("chat member status can't be changed in private chats");
    }
    if (restrict && chat.type != ChatType.SUPERGROUP) {
      throw ApiException.badRequest("method is available only for supergroups");
    }
    if (!chat.canRestrictMembers) {
      throw ApiException.badRequest("not enough rights to restrict/unrestrict chat member");
    }
    long userId = p.optLong("user_id").get();
    if (userId == botId) {
      throw ApiException.badRequest("can't restrict self");
    }
    if (restrict) {
      JsonNode permissions = p.json("permissions").orElse(null);
      if (permissions == null || !permissions.isObject()) {
        throw ApiException.badRequest("invalid permissions specified");
      }
      boolean all = true;
      for (String send : List.of("can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
          "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
          "can_send_other_messages", "can_add_web_page_previews")) {
        all &= permissions.path(send).asBoolean(false);
      }
      if (all) {
        chat.restrictedUntil.remove(userId);
      } else {
        long until = p.optLong("until_date").orElse(0L);
        long now = Instant.now().getEpochSecond();
        // As Telegram: less than 30 seconds or more than 366 days from now means forever.
        boolean forever = until == 0 || until - now < 30 || until - now > 366L * 24 * 3600;
        chat.restrictedUntil.put(userId, forever ? 0L : until);
      }
    }
    return Result.ofTrue();
  }

  private Result createForumTopic(Params p) {
    ChatState chat = chatForWrite(p);
    if (!chat.forum) {
      throw ApiException.badRequest("the chat is not a forum");
    }
    String name = Objects.requireNonNullElse(p.get("name"), "").strip();
    if (name.isEmpty() || name.length() > 128) {
      throw ApiException.badRequest(name.isEmpty() ? "TOPIC_TITLE_EMPTY" : "TOPIC_TITLE_TOO_LONG");
    }
    int color = p.optInt("icon_color").orElse(7322096);
    int threadId = ++chat.lastMessageId;
    ObjectNode service = newMessage(chat, threadId);
    service.put("message_thread_id", threadId);
    service.put("is_topic_message", true);
    ObjectNode created = service.putObject("forum_topic_created");
    created.put("name", name);
    created.put("icon_color", color);
    chat.messages.put(threadId, new StoredMessage(threadId, true, service));
    ObjectNode topic = Json.object();
    topic.put("message_thread_id", threadId);
    topic.put("name", name);
    topic.put("icon_color", color);
    return Result.of(topic);
  }

  private Result topicChange(Params p, String change) {
    ChatState chat = chatForWrite(p);
    if (!chat.forum) {
      throw ApiException.badRequest("the chat is not a forum");
    }
    int threadId = p.optInt("message_thread_id").orElse(0);
    if (threadId <= 0 || chat.deletedTopics.contains(threadId)) {
      throw ApiException.badRequest("TOPIC_ID_INVALID");
    }
    switch (change) {
      case "close" -> {
        if (!chat.closedTopics.add(threadId)) {
          throw ApiException.badRequest("TOPIC_NOT_MODIFIED");
        }
      }
      case "reopen" -> {
        if (!chat.closedTopics.remove(threadId)) {
          throw ApiException.badRequest("TOPIC_NOT_MODIFIED");
        }
      }
      case "delete" -> chat.deletedTopics.add(threadId);
      default -> {
        // editForumTopic: name and icon are not tracked.
      }
    }
    return Result.ofTrue();
  }

  private Result setMyCommands(Params p) {
    JsonNode json = p.json("commands").orElseThrow(() -> ApiException.badRequest("parameter \"commands\" is required"));
    if (!json.isArray()) {
      throw ApiException.badRequest("can't parse commands JSON array");
    }
    commands = Json.write(json);
    return Result.ofTrue();
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private record Reply(ChatState chat, StoredMessage message) {}

  private ChatState chat(long id) {
    return chats.computeIfAbsent(id, key -> new ChatState(id, ChatType.guessFromId(id), false));
  }

  private ChatState chatForWrite(Params p) {
    return chatRef(p.get("chat_id"), true);
  }

  private ChatState chatRef(String raw, boolean write) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest("chat_id is empty");
    }
    ChatState chat = null;
    if (raw.startsWith("@")) {
      String username = raw.substring(1);
      chat = chats.values().stream()
          .filter(c -> c.username != null && c.username.equalsIgnoreCase(username))
          .findFirst().orElse(null);
    } else {
      try {
        long id = Long.parseLong(raw.trim());
        chat = chats.get(id);
        if (chat == null && autoRegisterChats && id != 0) {
          chat = chat(id);
        }
      } catch (NumberFormatException e) {
        chat = null;
      }
    }
    if (chat == null) {
      throw ApiException.badRequest("chat not found");
    }
    if (chat.migratedTo != null) {
      throw new ApiException(400, "Bad Request: group chat was upgraded to a supergroup chat", null, chat.migratedTo);
    }
    if (write && chat.forbidden != null) {
      throw ApiException.forbidden(chat.forbidden);
    }
    return chat;
  }

  private static String text(Params p, String name) {
    String raw = p.get(name);
    if (raw == null || raw.isEmpty()) {
      throw ApiException.badRequest("message text is empty");
    }
    String text = Markup.toPlainText(raw, p.get("parse_mode")).strip();
    if (text.isEmpty()) {
      throw ApiException.badRequest("message text is empty");
    }
    if (text.length() > MAX_TEXT) {
      throw ApiException.badRequest("message is too long");
    }
    return text;
  }

  private static String caption(Params p) {
    String raw = p.get("caption");
    if (raw == null || raw.isEmpty()) {
      return "";
    }
    String caption = Markup.toPlainText(raw, p.get("parse_mode")).strip();
    if (caption.length() > MAX_CAPTION) {
      throw ApiException.badRequest("message caption is too long");
    }
    return caption;
  }

  private static Integer thread(ChatState chat, Params p) {
    Optional<Integer> thread = p.optInt("message_thread_id");
    if (thread.isEmpty() || thread.get() == 0) {
      return null;
    }
    // Non-forum supergroups have message_thread_id on reply chains, but sending into one is rejected.
    if (!chat.forum || thread.get() < 0 || chat.deletedTopics.contains(thread.get())) {
      throw ApiException.badRequest("message thread not found");
    }
    if (chat.closedTopics.contains(thread.get())) {
      throw ApiException.badRequest("TOPIC_CLOSED");
    }
    return thread.get();
  }

  private Reply reply(ChatState chat, Params p) {
    Optional<JsonNode> parameters = p.json("reply_parameters");
    int messageId;
    ChatState target = chat;
    boolean withoutReply;
    if (parameters.isPresent()) {
      JsonNode json = parameters.get();
      if (!json.isObject() || !json.has("message_id")) {
        throw ApiException.badRequest("can't parse reply parameters JSON object");
      }
      messageId = json.get("message_id").asInt();
      if (json.hasNonNull("chat_id")) {
        target = chatRef(json.get("chat_id").asText(), false);
      }
      withoutReply = json.path("allow_sending_without_reply").asBoolean(false);
    } else {
      messageId = p.optInt("reply_to_message_id").orElse(0);
      withoutReply = p.bool("allow_sending_without_reply");
    }
    if (messageId == 0) {
      return null;
    }
    StoredMessage message = target.messages.get(messageId);
    if (message == null || message.deleted) {
      if (withoutReply) {
        return null;
      }
      if (strictReplies) {
        throw ApiException.badRequest("message to be replied not found");
      }
      ObjectNode placeholder = newMessage(target, messageId);
      placeholder.remove("from");
      message = new StoredMessage(messageId, false, placeholder);
    }
    return new Reply(target, message);
  }

  private static JsonNode replyMarkup(Params p) {
    Optional<JsonNode> markup = p.json("reply_markup");
    if (markup.isEmpty()) {
      return null;
    }
    JsonNode json = markup.get();
    if (!json.isObject()) {
      throw ApiException.badRequest("can't parse reply keyboard markup JSON object");
    }
    JsonNode keyboard = json.get("inline_keyboard");
    if (keyboard == null) {
      // Reply keyboards, ForceReply and ReplyKeyboardRemove are accepted but never echoed in Message.reply_markup.
      return null;
    }
    if (!keyboard.isArray()) {
      throw ApiException.badRequest("can't parse inline keyboard markup JSON object");
    }
    for (JsonNode row : keyboard) {
      if (!row.isArray()) {
        throw ApiException.badRequest("can't parse inline keyboard markup JSON object");
      }
      for (JsonNode button : row) {
        if (!button.hasNonNull("text")) {
          throw ApiException.badRequest("can't parse inline keyboard button: Field \"text\" must be of type String");
        }
        if (button.has("callback_data")) {
          int bytes = button.get("callback_data").asText().getBytes(StandardCharsets.UTF_8).length;
          if (bytes < 1 || bytes > 64) {
            throw ApiException.badRequest("BUTTON_DATA_INVALID");
          }
        } else if (!button.has("url") && !button.has("switch_inline_query") && !button.has("web_app")
            && !button.has("login_url") && !button.has("switch_inline_query_current_chat")
            && !button.has("switch_inline_query_chosen_chat") && !button.has("copy_text")
            && !button.has("callback_game") && !button.has("pay")) {
          throw ApiException.badRequest(
              "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
      }
    }
    return json;
  }

  private void admit(ChatState chat) {
    FloodControl.Decision decision = flood.acquire(chat.id, chat.id < 0);
    if (!decision.allowed()) {
      throw ApiException.tooManyRequests(decision.retryAfter());
    }
  }

  private ObjectNode newMessage(ChatState chat, int id) {
    ObjectNode message = Json.object();
    message.put("message_id", id);
    if (chat.type == ChatType.CHANNEL) {
      message.set("sender_chat", chatJson(chat));
    } else {
      message.set("from", botUser());
    }
    message.set("chat", chatJson(chat));
    message.put("date", Instant.now().getEpochSecond());
    return message;
  }

  private ObjectNode create(ChatState chat, Integer thread, Reply reply, JsonNode markup) {
    ObjectNode message = newMessage(chat, ++chat.lastMessageId);
    if (thread != null) {
      message.put("message_thread_id", thread);
      message.put("is_topic_message", true);
    }
    if (reply != null && reply.chat() == chat) {
      message.set("reply_to_message", reply.message().json.deepCopy());
    }
    if (markup != null) {
      message.set("reply_markup", markup);
    }
    return message;
  }

  private Result commit(String method, ChatState chat, ObjectNode message, String text, Integer thread, Reply reply) {
    int id = message.get("message_id").asInt();
    ObjectNode stored = message.deepCopy();
    stored.remove("reply_to_message");
    chat.messages.put(id, new StoredMessage(id, true, stored));
    sent.add(new SentMessage(chat.id, id, method, text, thread, reply == null ? null : reply.message().id,
        Instant.now()));
    return Result.of(message);
  }

  private ObjectNode chatJson(ChatState chat) {
    ObjectNode json = Json.object();
    json.put("id", chat.id);
    json.put("type", chat.type.apiName());
    if (chat.type == ChatType.PRIVATE) {
      json.put("first_name", chat.firstName != null ? chat.firstName : "User " + chat.id);
    } else {
      json.put("title", chat.title != null ? chat.title : "Chat " + chat.id);
    }
    if (chat.username != null) {
      json.put("username", chat.username);
    }
    if (chat.forum) {
      json.put("is_forum", true);
    }
    return json;
  }

  private JsonNode media(String field, Params p) {
    String given = p.get(field);
    String fileId = given != null && !given.isBlank() && !given.contains("://") ? given : newFileId(field);
    String unique = uniqueId(fileId);
    if (field.equals("photo")) {
      ArrayNode sizes = Json.array();
      int[][] dims = {{90, 67}, {320, 240}, {1280, 960}};
      for (int i = 0; i < dims.length; i++) {
        ObjectNode size = sizes.addObject();
        size.put("file_id", fileId + (i < 2 ? "_s" + i : ""));
        size.put("file_unique_id", unique + i);
        size.put("file_size", 1000 * (i + 1) * (i + 1));
        size.put("width", dims[i][0]);
        size.put("height", dims[i][1]);
      }
      return sizes;
    }
    ObjectNode media = Json.object();
    media.put("file_id", fileId);
    media.put("file_unique_id", unique);
    switch (field) {
      case "document" -> {
        media.put("file_name", p.files.getOrDefault("document", "document.bin"));
        media.put("mime_type", "application/octet-stream");
      }
      case "video", "animation" -> {
        media.put("width", 640);
        media.put("height", 360);
        media.put("duration", p.optInt("duration").orElse(3));
      }
      case "voice", "audio" -> media.put("duration", p.optInt("duration").orElse(1));
      case "video_note" -> {
        media.put("length", 240);
        media.put("duration", p.optInt("duration").orElse(1));
      }
      case "sticker" -> {
        media.put("type", "regular");
        media.put("width", 512);
        media.put("height", 512);
        media.put("is_animated", false);
        media.put("is_video", false);
      }
      default -> {
        // photo handled above
      }
    }
    return media;
  }

  private String newFileId(String field) {
    return "BQACAgIAAxk" + field.toUpperCase(Locale.ROOT) + "Fake" + (++fileCounter);
  }

  private static String uniqueId(String fileId) {
    return "AgAD" + Integer.toHexString(fileId.hashCode());
  }

  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    for (String part : snake.split("_")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
