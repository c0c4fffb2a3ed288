package dev.tgsupport.telegram.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.pengrad.telegrambot.Callback;
import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.UpdatesListener;
import com.pengrad.telegrambot.model.Message;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.model.WebhookInfo;
import com.pengrad.telegrambot.model.request.ParseMode;
import com.pengrad.telegrambot.model.request.ReplyParameters;
import com.pengrad.telegrambot.request.AnswerCallbackQuery;
import com.pengrad.telegrambot.request.CloseForumTopic;
import com.pengrad.telegrambot.request.CreateForumTopic;
import com.pengrad.telegrambot.request.DeleteWebhook;
import com.pengrad.telegrambot.request.EditMessageText;
import com.pengrad.telegrambot.request.GetFile;
import com.pengrad.telegrambot.request.GetMe;
import com.pengrad.telegrambot.request.GetUpdates;
import com.pengrad.telegrambot.request.GetWebhookInfo;
import com.pengrad.telegrambot.request.SendDocument;
import com.pengrad.telegrambot.request.SendMessage;
import com.pengrad.telegrambot.request.SetWebhook;
import com.pengrad.telegrambot.response.BaseResponse;
import com.pengrad.telegrambot.response.CreateForumTopicResponse;
import com.pengrad.telegrambot.response.GetFileResponse;
import com.pengrad.telegrambot.response.GetMeResponse;
import com.pengrad.telegrambot.response.GetUpdatesResponse;
import com.pengrad.telegrambot.response.SendResponse;
import com.pengrad.telegrambot.utility.BotUtils;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeTelegramServerTest {

  private static final long USER = 42;
  private static final long GROUP = -4001;
  private static final long SUPERGROUP = -1001234567890L;

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
  }

  private FakeTelegramServer fake(Limits limits) {
    FakeTelegramServer fake = FakeTelegramServer.builder().limits(limits).start();
    closeables.add(fake);
    return fake;
  }

  private TelegramBot pengrad(FakeTelegramServer fake) {
    TelegramBot bot = new TelegramBot.Builder(fake.token()).apiUrl(fake.apiUrl()).fileApiUrl(fake.fileApiUrl())
        .build();
    closeables.add(bot::shutdown);
    return bot;
  }

  private HttpResponse<String> post(String url, String contentType, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(String text) {
    return Json.tryParse(text).orElseThrow();
  }

  // ------------------------------------------------------------------------------------------------ transport

  @Test
  void pengradSendsAMessageAndReadsTheMessageBack() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);

    SendResponse first = bot.execute(new SendMessage(USER, "Hello from the bot"));
    SendResponse second = bot.execute(new SendMessage(USER, "Second"));

    assertThat(first.isOk()).as(first.toString()).isTrue();
    Message message = first.message();
    assertThat(message.text()).isEqualTo("Hello from the bot");
    assertThat(message.chat().id()).isEqualTo(USER);
    assertThat(message.from().isBot()).isTrue();
    assertThat(message.from().id()).isEqualTo(UpdateSamples.BOT_ID);
    assertThat(message.date()).isPositive();
    assertThat(second.message().messageId()).isEqualTo(message.messageId() + 1);
    assertThat(fake.sentMessages(USER)).extracting(SentMessage::text).containsExactly("Hello from the bot", "Second");
    RecordedRequest request = fake.requests("sendMessage").get(0);
    assertThat(request.params()).containsEntry("chat_id", "42").containsEntry("text", "Hello from the bot");
    assertThat(request.status()).isEqualTo(200);
  }

  @Test
  void getMeReturnsTheConfiguredBot() {
    FakeTelegramServer fake = FakeTelegramServer.builder().token("987654:XYZ_secret-1").botUsername("helpdesk_bot")
        .canReadAllGroupMessages(true).start();
    closeables.add(fake);

    GetMeResponse me = pengrad(fake).execute(new GetMe());

    assertThat(me.user().id()).isEqualTo(987654L);
    assertThat(me.user().username()).isEqualTo("helpdesk_bot");
    assertThat(me.user().isBot()).isTrue();
    assertThat(me.user().canReadAllGroupMessages()).isTrue();
  }

  @Test
  void wrongTokenIs401UnknownMethodIs404AndMethodNamesAreCaseInsensitive() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());

    HttpResponse<String> wrongToken = post(fake.baseUrl() + "/bot1:nope/getMe", "application/json", "{}");
    HttpResponse<String> unknown = post(fake.apiUrl() + fake.token() + "/sendHologram", "application/json", "{}");
    HttpResponse<String> lowerCase = post(fake.apiUrl() + fake.token() + "/getme", "application/json", "");

    assertThat(wrongToken.statusCode()).isEqualTo(401);
    assertThat(wrongToken.body()).isEqualTo("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown.body()).get("description").asText()).isEqualTo("Not Found: method not found");
    assertThat(lowerCase.statusCode()).isEqualTo(200);
    assertThat(json(lowerCase.body()).path("result").path("username").asText()).isEqualTo(fake.botUsername());
    assertThat(fake.requests()).extracting(RecordedRequest::status).containsExactly(401, 404, 200);
  }

  @Test
  void parametersArriveFromQueryFormJsonAndMultipart() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    String base = fake.apiUrl() + fake.token() + "/sendMessage";

    HttpResponse<String> query = http.send(HttpRequest.newBuilder(URI.create(base + "?chat_id=1&text=via%20query"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    post(base, "application/x-www-form-urlencoded", "chat_id=2&text=via+form&reply_markup="
        + "%7B%22inline_keyboard%22%3A%5B%5B%7B%22text%22%3A%22Close%22%2C%22callback_data%22%3A%22c%22%7D%5D%5D%7D");
    post(base, "application/json", "{\"chat_id\":3,\"text\":\"via json\",\"reply_markup\":{\"remove_keyboard\":true}}");
    String boundary = "XyZ";
    String multipart = "--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n4\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nпривет\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"document\"; filename=\"a.txt\"\r\n"
        + "Content-Type: text/plain\r\n\r\nfile body\r\n--XyZ--\r\n";
    HttpResponse<String> upload = post(fake.apiUrl() + fake.token() + "/sendDocument",
        "multipart/form-data; boundary=" + boundary, multipart);

    assertThat(query.statusCode()).isEqualTo(200);
    assertThat(fake.sentMessages()).extracting(SentMessage::chatId, SentMessage::text).containsExactly(
        tuple(1L, "via query"), tuple(2L, "via form"),
        tuple(3L, "via json"), tuple(4L, "привет"));
    assertThat(fake.requests("sendMessage").get(2).params())
        .containsEntry("reply_markup", "{\"remove_keyboard\":true}");
    assertThat(fake.requests("sendDocument").get(0).files()).containsEntry("document", "a.txt");
    assertThat(json(upload.body()).path("result").path("document").path("file_name").asText()).isEqualTo("a.txt");
  }

  @Test
  void pengradMultipartUploadsAreUnderstood() {
    FakeTelegramServer fake = fake(Limits.unlimited());

    SendResponse response = pengrad(fake).execute(new SendDocument(USER, "report".getBytes(StandardCharsets.UTF_8))
        .fileName("report.txt").caption("*monthly* report").parseMode(ParseMode.Markdown));

    assertThat(response.isOk()).as(response.toString()).isTrue();
    assertThat(response.message().document().fileName()).isEqualTo("report.txt");
    assertThat(response.message().caption()).isEqualTo("monthly report");
    assertThat(fake.requests("sendDocument").get(0).files()).containsEntry("document", "report.txt");
    assertThat(fake.sentMessages()).extracting(SentMessage::text).containsExactly("monthly report");
  }

  // ------------------------------------------------------------------------------------------------ getUpdates

  @Test
  void getUpdatesConfirmsByOffsetAndForgetsBeforeANegativeOffset() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    for (int id = 100; id <= 104; id++) {
      fake.enqueue(UpdateSamples.privateText(id, USER, id, "m" + id));
    }

    List<Update> all = bot.execute(new GetUpdates()).updates();
    List<Update> limited = bot.execute(new GetUpdates().limit(2)).updates();
    List<Update> fromOffset = bot.execute(new GetUpdates().offset(102)).updates();
    long confirmedAfterOffset = fake.confirmedUpTo();
    List<Update> lastOne = bot.execute(new GetUpdates().offset(-1)).updates();

    assertThat(all).extracting(Update::updateId).containsExactly(100, 101, 102, 103, 104);
    assertThat(limited).extracting(Update::updateId).containsExactly(100, 101);
    assertThat(fromOffset).extracting(Update::updateId).containsExactly(102, 103, 104);
    assertThat(confirmedAfterOffset).isEqualTo(101);
    assertThat(lastOne).extracting(Update::updateId).containsExactly(104);
    assertThat(fake.pendingUpdates()).isEqualTo(1);
    assertThat(fake.confirmedUpTo()).isEqualTo(103);
    assertThat(bot.execute(new GetUpdates().offset(105)).updates()).isEmpty();
    assertThat(fake.pendingUpdates()).isZero();
    assertThat(fake.getUpdatesCalls()).isEqualTo(5);
  }

  @Test
  void longPollAnswersAsSoonAsAnUpdateArrives() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);

    long start = System.nanoTime();
    CompletableFuture<GetUpdatesResponse> poll =
        CompletableFuture.supplyAsync(() -> bot.execute(new GetUpdates().timeout(10)));
    Thread.sleep(200);
    assertThat(poll).isNotDone();
    fake.enqueue(UpdateSamples.privateText(7, USER, 1, "wake up"));
    GetUpdatesResponse response = poll.get(3, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(response.updates()).extracting(u -> u.message().text()).containsExactly("wake up");
  }

  @Test
  void longPollWithoutUpdatesAnswersAnEmptyListAfterTheTimeout() {
    FakeTelegramServer fake = fake(Limits.unlimited());

    long start = System.nanoTime();
    GetUpdatesResponse response = pengrad(fake).execute(new GetUpdates().timeout(1));

    assertThat(response.isOk()).isTrue();
    assertThat(response.updates()).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
  }

  @Test
  void aSecondPollerTerminatesThePendingOneWith409() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot first = pengrad(fake);
    TelegramBot second = pengrad(fake);

    CompletableFuture<GetUpdatesResponse> pending =
        CompletableFuture.supplyAsync(() -> first.execute(new GetUpdates().timeout(10)));
    while (fake.getUpdatesCalls() < 1) {
      Thread.sleep(5);
    }
    GetUpdatesResponse newer = second.execute(new GetUpdates());
    GetUpdatesResponse older = pending.get(3, TimeUnit.SECONDS);

    assertThat(newer.isOk()).isTrue();
    assertThat(older.isOk()).isFalse();
    assertThat(older.errorCode()).isEqualTo(409);
    assertThat(older.description()).isEqualTo(
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
  }

  @Test
  void getUpdatesWhileAWebhookIsSetIs409() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);

    BaseResponse set = bot.execute(new SetWebhook().url("http://127.0.0.1:9/hook"));
    GetUpdatesResponse rejected = bot.execute(new GetUpdates());
    BaseResponse deleted = bot.execute(new DeleteWebhook());
    GetUpdatesResponse accepted = bot.execute(new GetUpdates());

    assertThat(set.description()).isEqualTo("Webhook was set");
    assertThat(rejected.errorCode()).isEqualTo(409);
    assertThat(rejected.description()).isEqualTo("Conflict: can't use getUpdates method while webhook is active; "
        + "use deleteWebhook to delete the webhook first");
    assertThat(deleted.description()).isEqualTo("Webhook was deleted");
    assertThat(accepted.isOk()).isTrue();
  }

  @Test
  void allowedUpdatesIsStickyAndDecidesWhatIsStored() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);

    fake.enqueue(UpdateSamples.messageReaction(1, SUPERGROUP, USER, 5, "👍"));
    bot.execute(new GetUpdates().allowedUpdates("message_reaction", "callback_query"));
    fake.enqueue(UpdateSamples.messageReaction(2, SUPERGROUP, USER, 5, "🔥"));
    fake.enqueue(UpdateSamples.privateText(3, USER, 6, "not asked for"));
    List<Update> updates = bot.execute(new GetUpdates()).updates();

    assertThat(updates).extracting(Update::updateId).containsExactly(2);
    assertThat(updates.get(0).messageReaction().messageId()).isEqualTo(5);
    assertThat(fake.filteredUpdates()).isEqualTo(2);
  }

  @Test
  void rawEntriesAppearVerbatimInTheResultArray() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    fake.enqueue(UpdateSamples.privateText(1, USER, 1, "fine"));
    fake.enqueueRaw("{\"update_id\":2,\"message\":{\"message_id\":\"not-a-number\"}}");
    fake.enqueueRaw("{\"update_id\": 3, \"message\": {broken");

    HttpResponse<String> response = post(fake.apiUrl() + fake.token() + "/getUpdates", "application/json", "{}");

    assertThat(response.body()).startsWith("{\"ok\":true,\"result\":[{\"update_id\":1,")
        .contains(",{\"update_id\":2,\"message\":{\"message_id\":\"not-a-number\"}},")
        .endsWith(",{\"update_id\": 3, \"message\": {broken]}");
  }

  // ------------------------------------------------------------------------------------------------ methods

  @Test
  void sendMessageValidatesTextLikeTelegram() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    String emoji = "😀"; // two UTF-16 code units

    assertThat(bot.execute(new SendMessage(USER, "")).description()).isEqualTo("Bad Request: message text is empty");
    assertThat(bot.execute(new SendMessage(USER, " \n ")).description())
        .isEqualTo("Bad Request: message text is empty");
    assertThat(bot.execute(new SendMessage(USER, emoji.repeat(2048))).isOk()).isTrue();
    SendResponse tooLong = bot.execute(new SendMessage(USER, emoji.repeat(2048) + "!"));
    assertThat(tooLong.errorCode()).isEqualTo(400);
    assertThat(tooLong.description()).isEqualTo("Bad Request: message is too long");
    assertThat(bot.execute(new SendMessage(USER, "Price: 1.5").parseMode(ParseMode.MarkdownV2)).description())
        .isEqualTo("Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the "
            + "preceding '\\'");
    assertThat(bot.execute(new SendMessage(USER, "*bold* 1\\.5").parseMode(ParseMode.MarkdownV2)).message().text())
        .isEqualTo("bold 1.5");
    assertThat(bot.execute(new SendMessage(USER, "<b>hi</i>").parseMode(ParseMode.HTML)).description())
        .isEqualTo("Bad Request: can't parse entities: Unmatched end tag at byte offset 5, expected \"</b>\", "
            + "found \"</i>\"");
    assertThat(bot.execute(new SendMessage(USER, "a &lt; <i>b</i>").parseMode(ParseMode.HTML)).message().text())
        .isEqualTo("a < b");
  }

  @Test
  void threadIdIsAcceptedOnlyInForums() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    long forum = -1009876543210L;
    fake.registerChat(forum, ChatType.SUPERGROUP, true, "Staff");

    SendResponse inForum = bot.execute(new SendMessage(forum, "in topic").messageThreadId(77L));
    SendResponse inPlainSupergroup = bot.execute(new SendMessage(SUPERGROUP, "in chain").messageThreadId(12L));

    assertThat(inForum.message().messageThreadId()).isEqualTo(77L);
    assertThat(inForum.message().isTopicMessage()).isTrue();
    assertThat(inForum.message().chat().isForum()).isTrue();
    assertThat(inPlainSupergroup.description()).isEqualTo("Bad Request: message thread not found");
    assertThat(fake.sentMessages()).extracting(SentMessage::messageThreadId).containsExactly(77);
  }

  @Test
  void forumTopicsCanBeCreatedAndClosed() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    long forum = -1009876543210L;
    fake.registerChat(forum, ChatType.SUPERGROUP, true);

    CreateForumTopicResponse topic = bot.execute(new CreateForumTopic(forum, "Ticket #1"));
    long threadId = topic.forumTopic().messageThreadId();
    assertThat(bot.execute(new SendMessage(forum, "hi").messageThreadId(threadId)).isOk()).isTrue();
    assertThat(bot.execute(new CloseForumTopic(forum, threadId)).isOk()).isTrue();

    assertThat(bot.execute(new SendMessage(forum, "late").messageThreadId(threadId)).description())
        .isEqualTo("Bad Request: TOPIC_CLOSED");
    assertThat(bot.execute(new CreateForumTopic(SUPERGROUP, "x")).description())
        .isEqualTo("Bad Request: the chat is not a forum");
  }

  @Test
  void repliesNeedAKnownTargetUnlessAllowedWithout() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    fake.enqueue(UpdateSamples.privateText(1, USER, 5, "question"));

    SendResponse modern = bot.execute(new SendMessage(USER, "answer").replyParameters(new ReplyParameters(5)));
    SendResponse missing = bot.execute(new SendMessage(USER, "answer").replyParameters(new ReplyParameters(999)));
    SendResponse allowed = bot.execute(new SendMessage(USER, "answer")
        .replyParameters(new ReplyParameters(999).allowSendingWithoutReply(true)));

    assertThat(modern.message().replyToMessage().text()).isEqualTo("question");
    assertThat(modern.message().messageId()).isEqualTo(6);
    assertThat(missing.description()).isEqualTo("Bad Request: message to be replied not found");
    assertThat(allowed.isOk()).isTrue();
    assertThat(allowed.message().replyToMessage()).isNull();
    assertThat(fake.requests("sendMessage").get(0).params().get("reply_parameters")).contains("\"message_id\":5");
    assertThat(fake.sentMessages()).extracting(SentMessage::replyToMessageId).containsExactly(5, null);
  }

  @Test
  void legacyReplyToMessageIdWorksToo() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    fake.enqueue(UpdateSamples.privateText(1, USER, 5, "question"));

    HttpResponse<String> response = post(fake.apiUrl() + fake.token() + "/sendMessage",
        "application/x-www-form-urlencoded", "chat_id=42&text=answer&reply_to_message_id=5");

    assertThat(json(response.body()).path("result").path("reply_to_message").path("message_id").asInt())
        .isEqualTo(5);
  }

  @Test
  void editMessageTextReportsNotModifiedAndNotFound() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    fake.enqueue(UpdateSamples.privateText(1, USER, 3, "user text"));
    int id = bot.execute(new SendMessage(USER, "v1")).message().messageId();

    BaseResponse edited = bot.execute(new EditMessageText(USER, id, "v2"));
    BaseResponse same = bot.execute(new EditMessageText(USER, id, "v2"));
    BaseResponse missing = bot.execute(new EditMessageText(USER, 999, "v2"));
    BaseResponse notOurs = bot.execute(new EditMessageText(USER, 3, "hacked"));

    assertThat(edited.isOk()).isTrue();
    assertThat(fake.messageText(USER, id)).contains("v2");
    assertThat(same.description()).startsWith("Bad Request: message is not modified");
    assertThat(missing.description()).isEqualTo("Bad Request: message to edit not found");
    assertThat(notOurs.description()).isEqualTo("Bad Request: message can't be edited");
  }

  @Test
  void callbackQueriesCanBeAnsweredOnceWhenKnown() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    fake.enqueue(UpdateSamples.callbackQuery(1, "cbq-1", USER, USER, 9, "t:1:close"));

    BaseResponse first = bot.execute(new AnswerCallbackQuery("cbq-1").text("Closed"));
    BaseResponse again = bot.execute(new AnswerCallbackQuery("cbq-1"));
    BaseResponse unknown = bot.execute(new AnswerCallbackQuery("nope"));

    assertThat(first.isOk()).isTrue();
    assertThat(again.description()).isEqualTo(
        "Bad Request: query is too old and response timeout expired or query ID is invalid");
    assertThat(unknown.errorCode()).isEqualTo(400);
    assertThat(fake.requests("answerCallbackQuery").get(0).param("text")).contains("Closed");
  }

  @Test
  void filesCanBeResolvedAndDownloaded() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    fake.addFile("doc-1", "PDF bytes".getBytes(StandardCharsets.UTF_8));

    GetFileResponse file = bot.execute(new GetFile("doc-1"));

    assertThat(file.file().fileSize()).isEqualTo(9L);
    assertThat(file.file().filePath()).isNotBlank();
    assertThat(new String(bot.getFileContent(file.file()), StandardCharsets.UTF_8)).isEqualTo("PDF bytes");
    assertThat(bot.execute(new GetFile("")).description()).isEqualTo("Bad Request: invalid file_id");
  }

  // ------------------------------------------------------------------------------------------------ limits

  @Test
  void perChatFloodGets429WithRetryAfterAndLocksOnlyThatChat() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited().withPerChat(Limits.Rate.of(1, Duration.ofSeconds(1))
        .withBurst(2)));
    TelegramBot bot = pengrad(fake);

    assertThat(bot.execute(new SendMessage(USER, "1")).isOk()).isTrue();
    assertThat(bot.execute(new SendMessage(USER, "2")).isOk()).isTrue();
    SendResponse limited = bot.execute(new SendMessage(USER, "3"));
    SendResponse impatient = bot.execute(new SendMessage(USER, "3 again"));
    SendResponse otherChat = bot.execute(new SendMessage(USER + 1, "elsewhere"));

    assertThat(limited.errorCode()).isEqualTo(429);
    assertThat(limited.description()).isEqualTo("Too Many Requests: retry after 1");
    assertThat(limited.parameters().retryAfter()).isEqualTo(1);
    assertThat(impatient.errorCode()).isEqualTo(429);
    assertThat(otherChat.isOk()).isTrue();
    assertThat(fake.violationsDuringRetryAfter()).isEqualTo(1);
    assertThat(fake.http429()).isEqualTo(2);

    Thread.sleep(limited.parameters().retryAfter() * 1000L + 50);
    assertThat(bot.execute(new SendMessage(USER, "3 after waiting")).isOk()).isTrue();
    assertThat(fake.violationsDuringRetryAfter()).isEqualTo(1);
    assertThat(fake.maxPerChatPerSecond(USER)).isEqualTo(2);
    assertThat(fake.sentMessages(USER)).extracting(SentMessage::text).containsExactly("1", "2", "3 after waiting");
  }

  @Test
  void globalFloodLocksTheWholeBot() {
    // 3 per 30 s: a slow machine cannot refill a token between the calls.
    FakeTelegramServer fake = fake(Limits.unlimited().withGlobal(Limits.Rate.of(3, Duration.ofSeconds(30))));
    TelegramBot bot = pengrad(fake);

    for (int chat = 1; chat <= 3; chat++) {
      assertThat(bot.execute(new SendMessage(chat, "hi")).isOk()).isTrue();
    }
    SendResponse fourth = bot.execute(new SendMessage(4, "hi"));
    SendResponse fifth = bot.execute(new SendMessage(5, "hi"));

    assertThat(fourth.errorCode()).isEqualTo(429);
    assertThat(fourth.parameters().retryAfter()).isBetween(9, 10);
    assertThat(fifth.errorCode()).isEqualTo(429);
    assertThat(fake.violationsDuringRetryAfter()).isEqualTo(1);
    assertThat(fake.maxGlobalPerSecond()).isEqualTo(3);
    assertThat(fake.sentMessages()).hasSize(3);
  }

  @Test
  void groupsAreLimitedPerMinute() {
    FakeTelegramServer fake = fake(Limits.unlimited().withPerGroup(Limits.Rate.of(20, Duration.ofMinutes(1))
        .withBurst(2)));
    TelegramBot bot = pengrad(fake);

    bot.execute(new SendMessage(GROUP, "1"));
    bot.execute(new SendMessage(GROUP, "2"));
    SendResponse third = bot.execute(new SendMessage(GROUP, "3"));

    // 20 per minute refill one message every 3 s.
    assertThat(third.parameters().retryAfter()).isEqualTo(3);
    assertThat(bot.execute(new SendMessage(USER, "private chats are not groups")).isOk()).isTrue();
    assertThat(fake.maxPerGroupPerMinute()).isEqualTo(2);
    assertThat(fake.maxPerGroupPerMinute(GROUP)).isEqualTo(2);
  }

  @Test
  void telegramDefaultsAllowABurstOfThreePerChat() {
    FakeTelegramServer fake = fake(Limits.telegramDefaults());
    TelegramBot bot = pengrad(fake);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      SendResponse response = bot.execute(new SendMessage(USER, "m" + i));
      statuses.add(response.isOk() ? 200 : response.errorCode());
    }

    assertThat(statuses).containsExactly(200, 200, 200, 429);
    assertThat(fake.maxPerChatPerSecond()).isEqualTo(3);
  }

  // ------------------------------------------------------------------------------------------------ scenarios, faults

  @Test
  void migratedBlockedAndKickedChatsAnswerLikeTelegram() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    fake.migrateChat(GROUP, SUPERGROUP);
    fake.blockedBy(USER);
    fake.registerChat(-1005550001111L, ChatType.SUPERGROUP, false);
    fake.kickedFrom(-4002);
    fake.kickedFrom(-1005550001111L);

    SendResponse migrated = bot.execute(new SendMessage(GROUP, "hi"));
    SendResponse blocked = bot.execute(new SendMessage(USER, "hi"));

    assertThat(migrated.errorCode()).isEqualTo(400);
    assertThat(migrated.description()).isEqualTo("Bad Request: group chat was upgraded to a supergroup chat");
    assertThat(migrated.parameters().migrateToChatId()).isEqualTo(SUPERGROUP);
    assertThat(bot.execute(new SendMessage(SUPERGROUP, "hi")).isOk()).isTrue();
    assertThat(blocked.errorCode()).isEqualTo(403);
    assertThat(blocked.description()).isEqualTo("Forbidden: bot was blocked by the user");
    assertThat(bot.execute(new SendMessage(-4002, "hi")).description())
        .isEqualTo("Forbidden: bot was kicked from the group chat");
    assertThat(bot.execute(new SendMessage(-1005550001111L, "hi")).description())
        .isEqualTo("Forbidden: bot was kicked from the supergroup chat");
    fake.restoreChat(USER);
    assertThat(bot.execute(new SendMessage(USER, "hi")).isOk()).isTrue();
  }

  @Test
  void serviceUpdatesApplyMigrationAndBotRemoval() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);

    fake.enqueue(UpdateSamples.groupMigratedTo(1, GROUP, SUPERGROUP, USER, 3));
    fake.enqueue(UpdateSamples.botRemoved(2, -4002, USER, false));

    assertThat(bot.execute(new SendMessage(GROUP, "hi")).parameters().migrateToChatId()).isEqualTo(SUPERGROUP);
    assertThat(bot.execute(new SendMessage(-4002, "hi")).description())
        .isEqualTo("Forbidden: bot is not a member of the group chat");
  }

  @Test
  void scriptedFaultsMatchMethodChatAndCount() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    fake.failNext(Fault.tooManyRequestsWithoutParameters(3).forMethod("sendMessage").forChat(USER).times(2));
    fake.failNext(Fault.badGateway().forMethod("getMe"));

    SendResponse otherChat = bot.execute(new SendMessage(USER + 1, "fine"));
    SendResponse first = bot.execute(new SendMessage(USER, "a"));
    SendResponse second = bot.execute(new SendMessage(USER, "b"));
    SendResponse third = bot.execute(new SendMessage(USER, "c"));
    GetMeResponse gateway = bot.execute(new GetMe());

    assertThat(otherChat.isOk()).isTrue();
    assertThat(first.errorCode()).isEqualTo(429);
    assertThat(first.description()).isEqualTo("Too Many Requests: retry after 3");
    assertThat(first.parameters()).isNull();
    assertThat(second.errorCode()).isEqualTo(429);
    assertThat(third.isOk()).isTrue();
    assertThat(gateway.errorCode()).isEqualTo(502);
    assertThat(gateway.description()).isEqualTo("Bad Gateway");
    assertThat(fake.pendingFaults()).isZero();
    assertThat(fake.http429()).isEqualTo(2);
    assertThat(fake.sentMessages()).extracting(SentMessage::text).containsExactly("fine", "c");
  }

  @Test
  void scriptedErrorsCarryParametersAndRawBodiesPassThrough() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    String url = fake.apiUrl() + fake.token() + "/sendMessage";
    fake.failNext(Fault.error(400, "Bad Request: group chat was upgraded to a supergroup chat")
        .migrateToChatId(SUPERGROUP));
    fake.failNext(Fault.tooManyRequests(35));
    fake.failNext(Fault.raw(502, "text/html", "<html><body>502 Bad Gateway</body></html>"));

    String migrated = post(url, "application/json", "{\"chat_id\":1,\"text\":\"x\"}").body();
    String tooMany = post(url, "application/json", "{\"chat_id\":1,\"text\":\"x\"}").body();
    HttpResponse<String> html = post(url, "application/json", "{\"chat_id\":1,\"text\":\"x\"}");

    assertThat(migrated).isEqualTo("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was "
        + "upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-1001234567890}}");
    assertThat(tooMany).isEqualTo("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry "
        + "after 35\",\"parameters\":{\"retry_after\":35}}");
    assertThat(html.statusCode()).isEqualTo(502);
    assertThat(html.headers().firstValue("Content-Type")).contains("text/html");
    assertThat(html.body()).contains("502 Bad Gateway");
  }

  @Test
  void delayedAnswersArriveLate() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    fake.delayNext("getMe", Duration.ofMillis(400));

    long start = System.nanoTime();
    assertThat(bot.execute(new GetMe()).isOk()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void droppedConnectionsAreIoErrorsForPengrad() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    fake.dropNext("sendMessage");
    fake.dropNext("sendMessage");
    fake.failNext(Fault.drop().forMethod("sendMessage").afterProcessing());

    assertThatThrownBy(() -> bot.execute(new SendMessage(USER, "lost")))
        .isInstanceOf(RuntimeException.class)
        .hasCauseInstanceOf(IOException.class);
    AtomicReference<IOException> failure = new AtomicReference<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    bot.execute(new SendMessage(USER, "lost too"), new Callback<SendMessage, SendResponse>() {
      @Override
      public void onResponse(SendMessage request, SendResponse response) {
        done.complete(null);
      }

      @Override
      public void onFailure(SendMessage request, IOException e) {
        failure.set(e);
        done.complete(null);
      }
    });
    done.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> bot.execute(new SendMessage(USER, "sent but unanswered")))
        .hasCauseInstanceOf(IOException.class);

    assertThat(failure.get()).isNotNull();
    assertThat(bot.execute(new SendMessage(USER, "works again")).isOk()).isTrue();
    assertThat(fake.requests("sendMessage")).extracting(RecordedRequest::status).containsExactly(0, 0, 0, 200);
    // Only the after-processing drop reached the chat: the client cannot know, a retry would duplicate it.
    assertThat(fake.sentMessages()).extracting(SentMessage::text)
        .containsExactly("sent but unanswered", "works again");
  }

  // ------------------------------------------------------------------------------------------------ webhook

  private record Delivery(String secret, String contentType, String body) {}

  private HttpServer receiver(BlockingQueue<Delivery> deliveries, int failFirst, String replyBody)
      throws IOException {
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    AtomicInteger calls = new AtomicInteger();
    receiver.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token"),
          exchange.getRequestHeaders().getFirst("Content-Type"), body));
      int status = calls.incrementAndGet() <= failFirst ? 500 : 200;
      byte[] answer = (status == 200 ? replyBody : "oops").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    receiver.start();
    closeables.add(() -> receiver.stop(0));
    return receiver;
  }

  @Test
  void webhookDeliversInOrderWithTheSecretAndRetriesAfter500() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    HttpServer receiver = receiver(deliveries, 1, "");
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

    BaseResponse set = bot.execute(new SetWebhook().url(url).secretToken("s3cret_TOKEN-1"));
    fake.enqueue(UpdateSamples.privateText(10, USER, 1, "first"));
    fake.enqueue(UpdateSamples.privateText(11, USER, 2, "second"));
    List<Delivery> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      seen.add(deliveries.poll(5, TimeUnit.SECONDS));
    }
    while (fake.pendingUpdates() > 0) {
      Thread.sleep(5);
    }
    WebhookInfo info = bot.execute(new GetWebhookInfo()).webhookInfo();

    assertThat(set.isOk()).isTrue();
    assertThat(seen).extracting(d -> json(d.body()).get("update_id").asInt()).containsExactly(10, 10, 11);
    assertThat(seen).allSatisfy(d -> {
      assertThat(d.secret()).isEqualTo("s3cret_TOKEN-1");
      assertThat(d.contentType()).isEqualTo("application/json");
    });
    assertThat(BotUtils.parseUpdate(seen.get(2).body()).message().text()).isEqualTo("second");
    assertThat(fake.webhookFailures()).isEqualTo(1);
    assertThat(fake.webhookDeliveries()).isEqualTo(2);
    assertThat(info.url()).isEqualTo(url);
    assertThat(info.pendingUpdateCount()).isZero();
    assertThat(info.hasCustomCertificate()).isFalse();
    assertThat(info.lastErrorMessage()).isEqualTo("Wrong response from the webhook: 500 Internal Server Error");
    assertThat(info.lastErrorDate()).isPositive();
  }

  @Test
  void undeliverableUpdatesStayPendingUntilTheWebhookIsDeleted() throws Exception {
    FakeTelegramServer fake = FakeTelegramServer.builder().limits(Limits.unlimited())
        .webhookRetryBackoff(Duration.ofMillis(20)).webhookRetryPause(Duration.ofMillis(50)).start();
    closeables.add(fake);
    TelegramBot bot = pengrad(fake);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }

    bot.execute(new SetWebhook().url("http://127.0.0.1:" + closedPort + "/hook"));
    fake.enqueue(UpdateSamples.privateText(1, USER, 1, "nobody listens"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fake.webhookFailures() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    WebhookInfo info = bot.execute(new GetWebhookInfo()).webhookInfo();
    bot.execute(new DeleteWebhook());
    List<Update> polled = bot.execute(new GetUpdates()).updates();

    assertThat(fake.webhookFailures()).isGreaterThanOrEqualTo(4);
    assertThat(fake.webhookDeliveries()).isZero();
    assertThat(info.pendingUpdateCount()).isEqualTo(1);
    assertThat(info.lastErrorMessage()).isEqualTo("Connection refused");
    assertThat(polled).extracting(u -> u.message().text()).containsExactly("nobody listens");
  }

  @Test
  void webhookAnswersCanCallAMethod() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    HttpServer receiver = receiver(deliveries, 0, "{\"method\":\"sendMessage\",\"chat_id\":42,\"text\":\"ack\"}");

    bot.execute(new SetWebhook().url("http://localhost:" + receiver.getAddress().getPort() + "/hook"));
    fake.enqueue(UpdateSamples.privateText(1, USER, 1, "hi"));

    assertThat(fake.awaitRequests("sendMessage", 1, Duration.ofSeconds(5))).singleElement()
        .satisfies(r -> assertThat(r.viaWebhookReply()).isTrue());
    assertThat(fake.sentMessages()).extracting(SentMessage::text).containsExactly("ack");
  }

  @Test
  void setWebhookValidatesLikeTelegram() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);

    assertThat(bot.execute(new SetWebhook().url("https://example.org/hook").secretToken("a+b/c=")).description())
        .isEqualTo("Bad Request: secret token contains unallowed characters");
    assertThat(bot.execute(new SetWebhook().url("http://example.org/hook")).description())
        .isEqualTo("Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
    assertThat(bot.execute(new SetWebhook().url("https://example.org:8080/hook")).description())
        .isEqualTo("Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
    assertThat(bot.execute(new SetWebhook().url("https://example.org:8443/hook")).description())
        .isEqualTo("Webhook was set");
    assertThat(bot.execute(new SetWebhook().url("https://example.org:8443/hook")).description())
        .isEqualTo("Webhook is already set");
    assertThat(bot.execute(new DeleteWebhook()).description()).isEqualTo("Webhook was deleted");
    assertThat(bot.execute(new DeleteWebhook()).description()).isEqualTo("Webhook is already deleted");
  }

  // ------------------------------------------------------------------------------------------------ samples

  @Test
  void everySampleParsesWithPengradAndRoundTripsThroughGetUpdates() {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = pengrad(fake);
    List<String> corpus = UpdateSamples.corpus(500);

    fake.enqueueAll(corpus);
    List<Update> polled = bot.execute(new GetUpdates()).updates();

    assertThat(corpus).hasSize(24);
    assertThat(corpus).allSatisfy(json -> assertThat(BotUtils.parseUpdate(json).updateId()).isNotNull());
    // message_reaction is not in the default allowed_updates, so Telegram would never have stored it.
    assertThat(polled).hasSize(23);
    assertThat(fake.filteredUpdates()).isEqualTo(1);
  }

  @Test
  void samplesCarryTheFieldsTelegramSends() {
    Message photo = BotUtils.parseUpdate(UpdateSamples.photo(1, USER, USER, 2, "cap")).message();
    assertThat(photo.photo()).hasSize(3);
    assertThat(photo.photo()[2].width()).isGreaterThan(photo.photo()[0].width());
    assertThat(photo.caption()).isEqualTo("cap");

    Message animation = BotUtils.parseUpdate(UpdateSamples.animation(1, USER, USER, 2, null)).message();
    assertThat(animation.animation().fileId()).isEqualTo(animation.document().fileId());

    Message topic = BotUtils.parseUpdate(UpdateSamples.forumTopicMessage(1, -1009876543210L, USER, 30, 7, "t"))
        .message();
    assertThat(topic.isTopicMessage()).isTrue();
    assertThat(topic.messageThreadId()).isEqualTo(7L);
    assertThat(topic.replyToMessage().messageId()).isEqualTo(7);
    assertThat(topic.replyToMessage().forumTopicCreated()).isNotNull();

    String chainJson = UpdateSamples.supergroupReplyChain(1, SUPERGROUP, USER, 31, 12, 20, "r");
    Message chain = BotUtils.parseUpdate(chainJson).message();
    assertThat(chain.messageThreadId()).isEqualTo(12L);
    assertThat(chain.isTopicMessage()).isFalse();
    assertThat(json(chainJson).path("message").has("is_topic_message")).isFalse();

    assertThat(BotUtils.parseUpdate(UpdateSamples.editedText(1, USER, USER, 2, "new")).editedMessage().editDate())
        .isPositive();
    assertThat(BotUtils.parseUpdate(UpdateSamples.sticker(1, USER, USER, 2, "👍")).message().sticker().emoji())
        .isEqualTo("👍");
    assertThat(BotUtils.parseUpdate(UpdateSamples.fromOtherBot(1, SUPERGROUP, 777, 2, "x")).message().from().isBot())
        .isTrue();
    assertThat(BotUtils.parseUpdate(UpdateSamples.groupMigratedTo(1, GROUP, SUPERGROUP, USER, 2)).message()
        .migrateToChatId()).isEqualTo(SUPERGROUP);
    assertThat(BotUtils.parseUpdate(UpdateSamples.supergroupMigratedFrom(1, SUPERGROUP, GROUP, USER, 1)).message()
        .migrateFromChatId()).isEqualTo(GROUP);
    Update removed = BotUtils.parseUpdate(UpdateSamples.botRemoved(1, GROUP, USER, true));
    assertThat(removed.myChatMember().newChatMember().status().name()).isEqualTo("kicked");
    assertThat(BotUtils.parseUpdate(UpdateSamples.callbackQuery(1, "q", USER, USER, 3, "d")).callbackQuery().data())
        .isEqualTo("d");
    assertThat(BotUtils.parseUpdate(UpdateSamples.channelPost(1, -1001112223334L, 2, "news")).channelPost()
        .senderChat().type().name()).isEqualTo("channel");
    Update future = BotUtils.parseUpdate(UpdateSamples.unknownType(9));
    assertThat(future.updateId()).isEqualTo(9);
    assertThat(future.message()).isNull();
  }

  @Test
  void pengradsUpdatesListenerConfirmsWhatItProcessed() throws Exception {
    FakeTelegramServer fake = fake(Limits.unlimited());
    TelegramBot bot = new TelegramBot.Builder(fake.token()).apiUrl(fake.apiUrl()).updateListenerSleep(20).build();
    List<Integer> seen = new CopyOnWriteArrayList<>();
    fake.enqueueAll(List.of(UpdateSamples.privateText(1, USER, 1, "a"), UpdateSamples.privateText(2, USER, 2, "b")));

    bot.setUpdatesListener(updates -> {
      updates.forEach(u -> seen.add(u.updateId()));
      return UpdatesListener.CONFIRMED_UPDATES_ALL;
    }, new GetUpdates().timeout(1));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while ((seen.size() < 2 || fake.confirmedUpTo() < 2) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      bot.removeGetUpdatesListener();
      bot.shutdown();
    }

    assertThat(seen).containsExactly(1, 2);
    assertThat(fake.confirmedUpTo()).isEqualTo(2);
    assertThat(fake.pendingUpdates()).isZero();
  }

  @Test
  void toStringNeverShowsTheToken() {
    FakeTelegramServer fake = fake(Limits.unlimited());

    assertThat(fake.toString()).doesNotContain(fake.token()).doesNotContain("ABC-DEF").contains(fake.baseUrl());
    assertThatThrownBy(() -> FakeTelegramServer.builder().token("secret-without-id").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret-without-id");
  }
}
