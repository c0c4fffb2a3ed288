package dev.tgsupport.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pengrad.telegrambot.utility.BotUtils;
import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.IncomingMessage;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.TelegramUser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test per mapping rule of {@link UpdateMapper}, on updates written as Telegram sends them (the larger ones in
 * {@code src/test/resources/dev/tgsupport/telegram/updates/}), plus how {@link RawUpdates} splits and salvages bodies.
 */
class UpdateMapperTest {

  private static final long ANNA = 184726359L;
  private static final long SUPPORT_GROUP = -1001534872910L;

  private final UpdateMapper mapper = new UpdateMapper();

  // --- helpers ------------------------------------------------------------------------------------------------

  static String sample(String name) {
    String path = "/dev/tgsupport/telegram/updates/" + name + ".json";
    try (InputStream in = UpdateMapperTest.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sample with {@code edit} applied to its JSON tree. */
  static String sample(String name, Consumer<JsonObject> edit) {
    JsonObject o = JsonParser.parseString(sample(name)).getAsJsonObject();
    edit.accept(o);
    return o.toString();
  }

  private Inbound map(String json) {
    return mapper.map(RawUpdates.parse(json));
  }

  private Inbound mapSample(String name) {
    return map(sample(name));
  }

  private static IncomingMessage newMessage(Inbound inbound) {
    assertThat(inbound).isInstanceOf(Inbound.NewMessage.class);
    return ((Inbound.NewMessage) inbound).message();
  }

  private static JsonObject msg(JsonObject update) {
    return update.getAsJsonObject("message");
  }

  // --- messages -----------------------------------------------------------------------------------------------

  @Test
  void privateTextBecomesNewMessageWithChatUserAndDate() {
    Inbound inbound = mapSample("private_text");

    assertThat(inbound.updateId()).isEqualTo(864201337L);
    IncomingMessage m = newMessage(inbound);
    assertThat(m.chat()).isEqualTo(Chat.of(ANNA, ChatType.PRIVATE, "Anna Petrova"));
    assertThat(m.user()).isEqualTo(TelegramUser.of(ANNA, "anna_petrova", "Anna", "Petrova", "ru"));
    assertThat(m.telegramMessageId()).isEqualTo(1524);
    assertThat(m.type()).isEqualTo(MessageType.TEXT);
    assertThat(m.text()).isEqualTo("Здравствуйте! My order #A-1042 hasn't arrived yet 📦");
    assertThat(m.date()).isEqualTo(Instant.ofEpochSecond(1718012345));
    assertThat(m.threadId()).isNull();
    assertThat(m.replyToMessageId()).isNull();
    assertThat(m.attachment()).isNull();
  }

  @Test
  void commandTextIsKeptVerbatim() {
    IncomingMessage m = newMessage(mapSample("private_command"));
    assertThat(m.text()).isEqualTo("/ticket@acme_helpdesk_bot delivery is late");
    assertThat(m.isCommand()).isTrue();
  }

  @Test
  void privateChatWithoutNameInChatObjectIsNamedAfterTheSender() {
    String json = sample("private_text", u -> {
      JsonObject chat = msg(u).getAsJsonObject("chat");
      chat.remove("first_name");
      chat.remove("last_name");
      chat.remove("username");
    });
    assertThat(newMessage(map(json)).chat().title()).isEqualTo("Anna Petrova");
  }

  @Test
  void photoTakesTheLastSizeAndTheCaption() {
    IncomingMessage m = newMessage(mapSample("photo_caption"));

    assertThat(m.type()).isEqualTo(MessageType.PHOTO);
    assertThat(m.text()).isEqualTo("The parcel arrived damaged");
    assertThat(m.attachment()).isEqualTo(new Attachment(MessageType.PHOTO, "AgACAgIAAxkBAAIF92ZmT1y_y1280",
        "AQADm9kxG0Xq0Ut-", null, null, 187402L));
  }

  @Test
  void photoSizesOutOfOrderPickMostPixelsThenMostBytes() {
    IncomingMessage m = newMessage(mapSample("photo_unordered"));

    // 1280x720 and 720x1280 have the same pixels; the bigger file wins, wherever it is in the array.
    assertThat(m.attachment().fileId()).isEqualTo("AgACAgIAAxkBAAIF-GZmT2_big");
    assertThat(m.text()).isEmpty();
  }

  @Test
  void photoWithoutAnySizeIsUnparsable() {
    String json = sample("photo_caption", u -> msg(u).add("photo", new JsonArray()));
    assertThat(map(json)).isEqualTo(new Inbound.Unparsable(864201340L, "message.photo: has no sizes"));
  }

  @Test
  void documentKeepsNameMimeSizeAndCaption() {
    IncomingMessage m = newMessage(mapSample("document_caption"));

    assertThat(m.type()).isEqualTo(MessageType.DOCUMENT);
    assertThat(m.text()).isEqualTo("Here is the invoice");
    assertThat(m.attachment()).isEqualTo(new Attachment(MessageType.DOCUMENT, "BQACAgIAAxkBAAIF-WZmUAABq3vqF1",
        "AgADwkQAAkV86Us", "invoice_A-1042.pdf", "application/pdf", 348211L));
  }

  @Test
  void animationWinsOverTheDocumentTelegramAlsoSets() {
    IncomingMessage m = newMessage(mapSample("animation"));

    assertThat(m.type()).isEqualTo(MessageType.ANIMATION);
    assertThat(m.attachment().type()).isEqualTo(MessageType.ANIMATION);
    assertThat(m.attachment().fileName()).isEqualTo("where-is-my-parcel.mp4");
    assertThat(m.attachment().mimeType()).isEqualTo("video/mp4");
    assertThat(m.text()).isEmpty();
  }

  @Test
  void voiceAndVideoCarryTheirFiles() {
    IncomingMessage voice = newMessage(mapSample("voice"));
    assertThat(voice.type()).isEqualTo(MessageType.VOICE);
    assertThat(voice.attachment()).isEqualTo(new Attachment(MessageType.VOICE, "AwACAgIAAxkBAAIF-2ZmUHm_voice",
        "AgADr0kAAkV86Us", null, "audio/ogg", 27731L));

    IncomingMessage video = newMessage(mapSample("video"));
    assertThat(video.type()).isEqualTo(MessageType.VIDEO);
    assertThat(video.text()).isEqualTo("see 0:05");
    assertThat(video.attachment()).isEqualTo(new Attachment(MessageType.VIDEO, "BAACAgIAAxkBAAIF_GZmUKR_video",
        "AgADxEkAAkV86Us", "unboxing.mp4", "video/mp4", 2489021L));
  }

  @Test
  void audioAndVideoNoteAreOtherWithAttachment() {
    IncomingMessage audio = newMessage(mapSample("audio"));
    assertThat(audio.type()).isEqualTo(MessageType.OTHER);
    assertThat(audio.attachment().fileName()).isEqualTo("call-recording.mp3");
    assertThat(audio.attachment().type()).isEqualTo(MessageType.OTHER);

    String json = sample("voice", u -> {
      JsonObject m = msg(u);
      m.remove("voice");
      m.add("video_note", JsonParser.parseString(
          "{\"duration\":9,\"length\":240,\"file_id\":\"DQACAgIAAxkBAAIGBmZmVA_note\","
              + "\"file_unique_id\":\"AgAD0EkAAkV86Us\",\"file_size\":402113}"));
    });
    IncomingMessage note = newMessage(map(json));
    assertThat(note.type()).isEqualTo(MessageType.OTHER);
    assertThat(note.attachment().fileId()).isEqualTo("DQACAgIAAxkBAAIGBmZmVA_note");
  }

  @Test
  void stickerTextIsItsEmoji() {
    IncomingMessage m = newMessage(mapSample("sticker"));

    assertThat(m.type()).isEqualTo(MessageType.STICKER);
    assertThat(m.text()).isEqualTo("😡");
    assertThat(m.attachment().fileId()).isEqualTo("CAACAgIAAxkBAAIF_WZmUM5_sticker");
    assertThat(m.attachment().mimeType()).isEqualTo("image/webp");

    String noEmoji = sample("sticker", u -> msg(u).getAsJsonObject("sticker").remove("emoji"));
    assertThat(newMessage(map(noEmoji)).text()).isEmpty();
  }

  @Test
  void contactBecomesAReadableLineWithoutAttachment() {
    IncomingMessage m = newMessage(mapSample("contact"));

    assertThat(m.type()).isEqualTo(MessageType.CONTACT);
    assertThat(m.text()).isEqualTo("contact: Anna Petrova +79001234567");
    assertThat(m.attachment()).isNull();
  }

  @Test
  void locationBecomesAReadableLine() {
    IncomingMessage m = newMessage(mapSample("location"));

    assertThat(m.type()).isEqualTo(MessageType.LOCATION);
    assertThat(m.text()).isEqualTo("location: 55.75222,37.61556");
    assertThat(m.attachment()).isNull();
  }

  @Test
  void venueAddsItsNameToTheLocationLine() {
    String json = sample("location", u -> msg(u).add("venue", JsonParser.parseString(
        "{\"location\":{\"latitude\":55.75222,\"longitude\":37.61556},\"title\":\"Acme pick-up point\","
            + "\"address\":\"Tverskaya 1\"}")));
    assertThat(newMessage(map(json)).text())
        .isEqualTo("location: 55.75222,37.61556 (Acme pick-up point, Tverskaya 1)");
  }

  @Test
  void locationOutOfRangeIsUnparsable() {
    String json = sample("location", u -> msg(u).getAsJsonObject("location").addProperty("latitude", 91.5));
    assertThat(map(json)).isInstanceOfSatisfying(Inbound.Unparsable.class,
        p -> assertThat(p.error()).startsWith("message.location.latitude: must be in -90..90"));
  }

  @Test
  void pollAndDiceAreOtherWithAReadableLine() {
    String poll = sample("private_text", u -> {
      msg(u).remove("text");
      msg(u).add("poll", JsonParser.parseString("{\"id\":\"5291\",\"question\":\"Rate our support\","
          + "\"options\":[{\"text\":\"Good\",\"voter_count\":0}],\"total_voter_count\":0,\"is_closed\":false,"
          + "\"is_anonymous\":true,\"type\":\"regular\",\"allows_multiple_answers\":false}"));
    });
    IncomingMessage p = newMessage(map(poll));
    assertThat(p.type()).isEqualTo(MessageType.OTHER);
    assertThat(p.text()).isEqualTo("poll: Rate our support");

    String dice = sample("private_text", u -> {
      msg(u).remove("text");
      msg(u).add("dice", JsonParser.parseString("{\"emoji\":\"🎲\",\"value\":4}"));
    });
    assertThat(newMessage(map(dice)).text()).isEqualTo("dice: 🎲 4");
  }

  // --- threads and replies ------------------------------------------------------------------------------------

  @Test
  void topicMessageKeepsThreadAndDropsTheTopicCreationPseudoReply() {
    IncomingMessage m = newMessage(mapSample("forum_topic_first_message"));

    assertThat(m.chat()).isEqualTo(Chat.of(-1002187645321L, ChatType.SUPERGROUP, "Acme Support Desk"));
    assertThat(m.threadId()).isEqualTo(42L);
    assertThat(m.replyToMessageId()).isNull();
  }

  @Test
  void replyToTheThreadRootInATopicIsNoReplyEvenWithoutForumTopicCreated() {
    String json = sample("forum_topic_first_message",
        u -> msg(u).getAsJsonObject("reply_to_message").remove("forum_topic_created"));
    IncomingMessage m = newMessage(map(json));

    assertThat(m.threadId()).isEqualTo(42L);
    assertThat(m.replyToMessageId()).isNull();
  }

  @Test
  void realReplyInsideATopicIsKept() {
    IncomingMessage m = newMessage(mapSample("forum_topic_reply"));

    assertThat(m.threadId()).isEqualTo(42L);
    assertThat(m.replyToMessageId()).isEqualTo(57L);
  }

  @Test
  void threadIdOfAnOrdinaryReplyChainIsNotEchoed() {
    IncomingMessage m = newMessage(mapSample("supergroup_reply_chain"));

    assertThat(m.chat().type()).isEqualTo(ChatType.SUPERGROUP);
    assertThat(m.threadId()).isNull();
    // Replying to the chain's root is a real reply outside forums, even though its id equals message_thread_id.
    assertThat(m.replyToMessageId()).isEqualTo(905L);
  }

  // --- edits, migration, membership ---------------------------------------------------------------------------

  @Test
  void editedMessageCarriesTheEditDate() {
    Inbound inbound = mapSample("edited_message");

    assertThat(inbound).isInstanceOfSatisfying(Inbound.EditedMessage.class, e -> {
      assertThat(e.updateId()).isEqualTo(864201353L);
      assertThat(e.editedAt()).isEqualTo(Instant.ofEpochSecond(1718012399));
      assertThat(e.message().telegramMessageId()).isEqualTo(1524);
      assertThat(e.message().date()).isEqualTo(Instant.ofEpochSecond(1718012345));
      assertThat(e.message().text()).contains("#A-1043");
    });
  }

  @Test
  void editedMessageWithoutEditDateIsUnparsable() {
    String json = sample("edited_message", u -> u.getAsJsonObject("edited_message").remove("edit_date"));
    assertThat(map(json)).isEqualTo(new Inbound.Unparsable(864201353L, "edited_message.edit_date: missing"));
  }

  @Test
  void migrationSeenFromTheOldGroup() {
    assertThat(mapSample("migrate_to")).isEqualTo(new Inbound.ChatMigrated(864201354L, -4087654321L,
        -1002233445566L, Chat.of(-1002233445566L, ChatType.SUPERGROUP, "Acme Staff")));
  }

  @Test
  void migrationSeenFromTheNewSupergroupWinsOverTheAnonymousSender() {
    assertThat(mapSample("migrate_from")).isEqualTo(new Inbound.ChatMigrated(864201355L, -4087654321L,
        -1002233445566L, Chat.of(-1002233445566L, ChatType.SUPERGROUP, "Acme Staff")));
  }

  @Test
  void botAddedToAGroup() {
    assertThat(mapSample("my_chat_member_added")).isInstanceOfSatisfying(Inbound.BotMembership.class, b -> {
      assertThat(b.member()).isTrue();
      assertThat(b.chat()).isEqualTo(Chat.of(-4087654321L, ChatType.GROUP, "Acme Staff"));
      assertThat(b.changedBy().id()).isEqualTo(5071239812L);
      assertThat(b.changedBy().username()).isEqualTo("ivan_support");
    });
  }

  @Test
  void botKickedFromASupergroup() {
    assertThat(mapSample("my_chat_member_kicked")).isInstanceOfSatisfying(Inbound.BotMembership.class, b -> {
      assertThat(b.member()).isFalse();
      assertThat(b.chat().id()).isEqualTo(SUPPORT_GROUP);
    });
  }

  @Test
  void userBlockingTheBotIsAKickFromTheirPrivateChat() {
    assertThat(mapSample("my_chat_member_blocked_private")).isEqualTo(new Inbound.BotMembership(864201358L,
        Chat.of(ANNA, ChatType.PRIVATE, "Anna Petrova"), TelegramUser.of(ANNA, "anna_petrova", "Anna", "Petrova", "ru"),
        false));
  }

  @Test
  void restrictedCountsAsMemberOnlyWithIsMember() {
    for (boolean isMember : new boolean[] {true, false}) {
      String json = sample("my_chat_member_added", u -> {
        JsonObject now = u.getAsJsonObject("my_chat_member").getAsJsonObject("new_chat_member");
        now.addProperty("status", "restricted");
        now.addProperty("is_member", isMember);
        now.addProperty("can_send_messages", false);
      });
      assertThat(map(json)).isInstanceOfSatisfying(Inbound.BotMembership.class,
          b -> assertThat(b.member()).isEqualTo(isMember));
    }
    String promoted = sample("my_chat_member_added", u ->
        u.getAsJsonObject("my_chat_member").getAsJsonObject("new_chat_member").addProperty("status", "administrator"));
    assertThat(map(promoted)).isInstanceOfSatisfying(Inbound.BotMembership.class,
        b -> assertThat(b.member()).isTrue());
  }

  @Test
  void unknownMemberStatusIsUnparsable() {
    String json = sample("my_chat_member_added", u ->
        u.getAsJsonObject("my_chat_member").getAsJsonObject("new_chat_member").addProperty("status", "banished"));
    assertThat(map(json)).isInstanceOfSatisfying(Inbound.Unparsable.class,
        p -> assertThat(p.error()).startsWith("my_chat_member.new_chat_member.status: missing or not one of"));
  }

  // --- callbacks ----------------------------------------------------------------------------------------------

  @Test
  void callbackQueryNamesTheMessageWithTheButton() {
    assertThat(mapSample("callback_query")).isEqualTo(new Inbound.CallbackQuery(864201359L, "4382716305918273645",
        TelegramUser.of(ANNA, "anna_petrova", "Anna", "Petrova", "ru"), ANNA, 1540L, "t:A-1042:yes"));
  }

  @Test
  void callbackQueryOnAnInaccessibleMessageStillNamesChatAndMessage() {
    assertThat(mapSample("callback_query_inaccessible")).isInstanceOfSatisfying(Inbound.CallbackQuery.class, c -> {
      assertThat(c.chatId()).isEqualTo(ANNA);
      assertThat(c.messageId()).isEqualTo(311L);
      assertThat(c.data()).isEqualTo("t:A-0007:close");
    });
  }

  @Test
  void callbackQueryFromAnInlineMessageHasNoChat() {
    String json = sample("callback_query", u -> {
      JsonObject q = u.getAsJsonObject("callback_query");
      q.remove("message");
      q.addProperty("inline_message_id", "AgAAAHEkAQBhTwkH3ZHKrdL9Zns");
    });
    assertThat(map(json)).isInstanceOfSatisfying(Inbound.CallbackQuery.class, c -> {
      assertThat(c.chatId()).isNull();
      assertThat(c.messageId()).isNull();
      assertThat(c.from().id()).isEqualTo(ANNA);
    });
  }

  // --- what is skipped ----------------------------------------------------------------------------------------

  @Test
  void messageFromAnotherBotIsIgnoredUnlessAccepted() {
    assertThat(mapSample("bot_message")).isEqualTo(new Inbound.Ignored(864201361L, "from_bot"));

    UpdateMapper accepting = new UpdateMapper(new UpdateMapper.Options(true, false));
    IncomingMessage m = newMessage(accepting.map(RawUpdates.parse(sample("bot_message"))));
    assertThat(m.user().id()).isEqualTo(6123456789L);
    assertThat(m.text()).isEqualTo("Order A-1042 shipped");
  }

  @Test
  void channelPostIsIgnoredUnlessAccepted() {
    assertThat(mapSample("channel_post")).isEqualTo(new Inbound.Ignored(864201362L, "channel_post"));
    String edited = sample("channel_post", u -> {
      JsonObject post = u.remove("channel_post").getAsJsonObject();
      post.addProperty("edit_date", 1718013999);
      u.add("edited_channel_post", post);
    });
    assertThat(map(edited)).isEqualTo(new Inbound.Ignored(864201362L, "channel_post"));

    UpdateMapper accepting = new UpdateMapper(new UpdateMapper.Options(false, true));
    IncomingMessage m = newMessage(accepting.map(RawUpdates.parse(sample("channel_post"))));
    assertThat(m.chat()).isEqualTo(Chat.of(-1001987654321L, ChatType.CHANNEL, "Acme News"));
    assertThat(m.user().id()).isEqualTo(UpdateMapper.CHANNEL_BOT_ID);
    assertThat(m.text()).isEqualTo("Support hours change on Monday");
    assertThat(accepting.map(RawUpdates.parse(edited))).isInstanceOf(Inbound.EditedMessage.class);
  }

  @Test
  void anonymousAdminIsIgnoredEvenWhenBotMessagesAreAccepted() {
    assertThat(mapSample("anonymous_admin")).isEqualTo(new Inbound.Ignored(864201363L, "anonymous_sender"));
    UpdateMapper accepting = new UpdateMapper(new UpdateMapper.Options(true, true));
    assertThat(accepting.map(RawUpdates.parse(sample("anonymous_admin"))))
        .isEqualTo(new Inbound.Ignored(864201363L, "anonymous_sender"));
  }

  @Test
  void messageWithoutFromIsAnonymous() {
    String json = sample("bot_message", u -> msg(u).remove("from"));
    assertThat(map(json)).isEqualTo(new Inbound.Ignored(864201361L, "anonymous_sender"));
  }

  @Test
  void serviceMessagesAreIgnored() {
    assertThat(mapSample("new_chat_members")).isEqualTo(new Inbound.Ignored(864201364L, "service_message"));

    String pinned = sample("bot_message", u -> {
      JsonObject m = msg(u);
      JsonObject original = m.deepCopy();
      m.remove("text");
      m.add("from", JsonParser.parseString(
          "{\"id\":5071239812,\"is_bot\":false,\"first_name\":\"Ivan\",\"username\":\"ivan_support\"}"));
      m.add("pinned_message", original);
    });
    assertThat(map(pinned)).isEqualTo(new Inbound.Ignored(864201361L, "service_message"));

    String topicCreated = sample("forum_topic_first_message", u -> {
      JsonObject creation = msg(u).getAsJsonObject("reply_to_message").deepCopy();
      u.add("message", creation);
    });
    assertThat(map(topicCreated)).isEqualTo(new Inbound.Ignored(864201350L, "service_message"));
  }

  @Test
  void otherPayloadsAreUnknownByTheirJsonFieldName() {
    assertThat(mapSample("message_reaction")).isEqualTo(new Inbound.Unknown(864201365L, "message_reaction"));
    assertThat(mapSample("chat_member")).isEqualTo(new Inbound.Unknown(864201368L, "chat_member"));
    // pengrad drops the field entirely, so only the raw JSON still knows what it was.
    assertThat(mapSample("future_payload")).isEqualTo(new Inbound.Unknown(864201366L, "some_future_update"));
    assertThat(map("{\"update_id\":864201369,\"inline_query\":{\"id\":\"843\",\"from\":{\"id\":184726359,"
        + "\"is_bot\":false,\"first_name\":\"Anna\"},\"query\":\"refund\",\"offset\":\"\"}}"))
        .isEqualTo(new Inbound.Unknown(864201369L, "inline_query"));
    assertThat(map("{\"update_id\":864201370}")).isEqualTo(new Inbound.Unknown(864201370L, "empty"));
    assertThat(map("{\"update_id\":864201371,\"bad\\u0000key\":{}}"))
        .isEqualTo(new Inbound.Unknown(864201371L, "invalid_field_name"));
  }

  // --- what cannot be mapped ----------------------------------------------------------------------------------

  @Test
  void wrongJsonTypeIsUnparsableNamingTheField() {
    String json = sample("private_text", u -> msg(u).getAsJsonObject("chat").addProperty("id", "not-a-number"));
    assertThat(map(json)).isInstanceOfSatisfying(Inbound.Unparsable.class, p -> {
      assertThat(p.updateId()).isEqualTo(864201337L);
      assertThat(p.error()).startsWith("message.chat.id: ");
    });
  }

  @Test
  void valuesOutOfRangeAreUnparsableNamingTheField() {
    assertThat(map(sample("private_text", u -> msg(u).getAsJsonObject("from").addProperty("id", 0))))
        .isEqualTo(new Inbound.Unparsable(864201337L, "message.from.id: must be in 1..9007199254740991, was 0"));
    assertThat(map(sample("private_text", u -> msg(u).addProperty("message_id", -5))))
        .isEqualTo(new Inbound.Unparsable(864201337L, "message.message_id: must be > 0, was -5"));
    assertThat(map(sample("private_text", u -> msg(u).getAsJsonObject("chat").addProperty("id", -42))))
        .isEqualTo(new Inbound.Unparsable(864201337L, "message.chat.id: must be positive for a private chat, was -42"));
    assertThat(map(sample("private_text", u -> msg(u).remove("date"))))
        .isEqualTo(new Inbound.Unparsable(864201337L, "message.date: missing"));
    assertThat(map(sample("document_caption", u -> msg(u).getAsJsonObject("document").addProperty("file_size", -1))))
        .isEqualTo(new Inbound.Unparsable(864201342L, "message.document.file_size: must be >= 0, was -1"));
    assertThat(map(sample("private_text", u -> msg(u).getAsJsonObject("chat").addProperty("type", "secret"))))
        .isInstanceOfSatisfying(Inbound.Unparsable.class,
            p -> assertThat(p.error()).startsWith("message.chat.type: missing or not one of"));
  }

  @Test
  void updateWithoutUsableIdIsUnparsable() {
    assertThat(map(sample("private_text", u -> u.remove("update_id"))))
        .isEqualTo(new Inbound.Unparsable(-1, "update_id: missing or not a non-negative integer"));
    assertThat(map(sample("private_text", u -> u.addProperty("update_id", "864201337"))))
        .isInstanceOfSatisfying(Inbound.Unparsable.class, p -> assertThat(p.updateId()).isEqualTo(-1));
  }

  @Test
  void updateIdBeyondPengradsIntStillIdentifiesTheUnparsableUpdate() {
    Inbound inbound = map(sample("private_text", u -> u.addProperty("update_id", 1L << 40)));
    assertThat(inbound).isInstanceOfSatisfying(Inbound.Unparsable.class, p -> {
      assertThat(p.updateId()).isEqualTo(1L << 40);
      assertThat(p.error()).startsWith("update_id: ");
    });
  }

  @Test
  void mapsPengradUpdatesToo() {
    assertThat(mapper.map(BotUtils.parseUpdate(sample("private_text"))))
        .isEqualTo(mapper.map(RawUpdates.parse(sample("private_text"))));
    assertThat(mapper.map(BotUtils.parseUpdate(sample("message_reaction"))))
        .isEqualTo(new Inbound.Unknown(864201365L, "message_reaction"));
    assertThat(mapper.map((com.pengrad.telegrambot.model.Update) null)).isInstanceOf(Inbound.Unparsable.class);
    assertThat(mapper.map((RawUpdates.Raw) null)).isInstanceOf(Inbound.Unparsable.class);
  }

  // --- RawUpdates ---------------------------------------------------------------------------------------------

  @Nested
  class RawUpdatesParsing {

    @Test
    void webhookBodyKeepsTextKindIdAndPengradParse() {
      String body = sample("callback_query");
      RawUpdates.Raw raw = RawUpdates.parse(body);

      assertThat(raw.updateId()).isEqualTo(864201359L);
      assertThat(raw.kind()).isEqualTo("callback_query");
      assertThat(raw.json()).isEqualTo(body);
      assertThat(raw.parsed().callbackQuery().data()).isEqualTo("t:A-1042:yes");
      assertThat(raw.parseError()).isNull();
      assertThat(raw.toString()).doesNotContain("A-1042");
    }

    @Test
    void truncatedWebhookBodyStillYieldsIdAndKind() {
      String body = sample("private_text");
      RawUpdates.Raw raw = RawUpdates.parse(body.substring(0, body.indexOf("\"date\"")));

      assertThat(raw.updateId()).isEqualTo(864201337L);
      assertThat(raw.kind()).isEqualTo("message");
      assertThat(raw.parsed()).isNull();
      assertThat(raw.parseError()).isNotBlank();
    }

    @Test
    void anythingElseIsOneRawWithAParseError() {
      String[] bodies = {null, "", "   ", "[]", "42", "\"update\"", "null", "{", "}", "\u0000", "{\"a\":"};
      for (String body : bodies) {
        RawUpdates.Raw raw = RawUpdates.parse(body);
        assertThat(raw.updateId()).as(String.valueOf(body)).isEqualTo(-1);
        assertThat(raw.parseError()).as(String.valueOf(body)).isNotBlank();
        assertThat(mapper.map(raw)).isInstanceOf(Inbound.Unparsable.class);
      }
    }

    @Test
    void resultArrayMapsEachElementOnItsOwn() {
      String batch = "[" + sample("private_text") + ",{\"update_id\":864201338,\"message\":{\"message_id\":\"x\"}},"
          + "17," + sample("voice") + "]";
      List<RawUpdates.Raw> raws = RawUpdates.parseBatch(batch);

      assertThat(raws).extracting(RawUpdates.Raw::updateId).containsExactly(864201337L, 864201338L, -1L, 864201344L);
      assertThat(raws).extracting(r -> r.parseError() == null).containsExactly(true, false, false, true);
      assertThat(raws.get(1).parseError()).startsWith("message.message_id: ");
      assertThat(RawUpdates.maxUpdateId(raws)).isEqualTo(864201344L);
      assertThat(RawUpdates.fromResultArray(JsonParser.parseString(batch).getAsJsonArray()))
          .extracting(RawUpdates.Raw::updateId).containsExactly(864201337L, 864201338L, -1L, 864201344L);
    }

    @Test
    void envelopeIsUnwrapped() {
      String envelope = "{\"ok\":true,\"result\":[" + sample("voice") + "," + sample("sticker") + "]}";
      assertThat(RawUpdates.parseBatch(envelope)).extracting(RawUpdates.Raw::kind)
          .containsExactly("message", "message");
      assertThat(RawUpdates.parseBatch("{\"ok\":true,\"result\":[]}")).isEmpty();
    }

    @Test
    void brokenArrayKeepsItsIntactElements() {
      String voice = sample("voice");
      String broken = "[" + sample("private_text") + ",{\"update_id\":864201343,\"message\":{\"text\":\"a\" 1}},"
          + voice + "," + voice.substring(0, 40);
      List<RawUpdates.Raw> raws = RawUpdates.parseBatch(broken);

      assertThat(raws).extracting(RawUpdates.Raw::updateId)
          .containsExactly(864201337L, 864201343L, 864201344L, 864201344L);
      assertThat(raws).extracting(r -> r.parsed() != null).containsExactly(true, false, true, false);
      assertThat(RawUpdates.maxUpdateId(raws)).isEqualTo(864201344L);
    }

    @Test
    void updateIdMustBeANonNegativeIntegerWithinLong() {
      assertThat(idOf("864201337")).isEqualTo(864201337L);
      assertThat(idOf("8.64201337e8")).isEqualTo(864201337L);
      assertThat(idOf("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
      assertThat(idOf("9223372036854775808")).isEqualTo(-1);
      assertThat(idOf("-7")).isEqualTo(-1);
      assertThat(idOf("1.5")).isEqualTo(-1);
      assertThat(idOf("1e999999999")).isEqualTo(-1);
      assertThat(idOf("1e-999999999")).isEqualTo(-1);
      assertThat(idOf("\"5\"")).isEqualTo(-1);
      assertThat(idOf("null")).isEqualTo(-1);
      assertThat(RawUpdates.maxUpdateId(List.of())).isEqualTo(-1);
      assertThat(RawUpdates.maxUpdateId(null)).isEqualTo(-1);
    }

    @Test
    void laterDuplicateKeyDecides() {
      RawUpdates.Raw raw = RawUpdates.parse("{\"update_id\":5,\"update_id\":6,\"poll\":{}}");
      assertThat(raw.updateId()).isEqualTo(6);
      assertThat(raw.kind()).isEqualTo("poll");
    }

    private long idOf(String literal) {
      return RawUpdates.parse("{\"update_id\":" + literal + ",\"message\":{}}").updateId();
    }
  }
}
