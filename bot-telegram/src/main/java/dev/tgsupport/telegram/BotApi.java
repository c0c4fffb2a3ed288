package dev.tgsupport.telegram;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.pengrad.telegrambot.ExceptionHandler;
import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.UpdatesListener;
import com.pengrad.telegrambot.impl.UpdatesHandler;
import com.pengrad.telegrambot.request.GetUpdates;
import com.pengrad.telegrambot.model.ResponseParameters;
import com.pengrad.telegrambot.request.BaseRequest;
import com.pengrad.telegrambot.response.BaseResponse;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ServerErrorException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The one place that talks HTTP to the Bot API: pengrad's client for the typed methods, and a raw {@code getUpdates}
 * on the same OkHttp stack so that one malformed update can be skipped on its own instead of failing the whole batch
 * in pengrad's parser. Every failure leaves as a bot-core exception, with the token scrubbed from its message.
 */
final class BotApi implements AutoCloseable {
  private final TelegramBot bot;
  private final OkHttpClient pollClient;
  private final String updatesUrl;
  private final Redactor redactor;
  private volatile Call pendingPoll;
  private final DelegatingUpdatesHandler updatesHandler = new DelegatingUpdatesHandler();

  BotApi(String token, String apiUrl, Duration connectTimeout, Duration requestTimeout, int maxPollSeconds) {
    this.redactor = new Redactor(token);
    OkHttpClient http = new OkHttpClient.Builder()
        .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        // OkHttp would silently resend a request whose connection failed; for sendMessage that can mean a message
        // delivered twice. The sender decides about retries itself.
        .retryOnConnectionFailure(false)
        .build();
    String base = apiBase(apiUrl);
    this.bot = new TelegramBot.Builder(token).apiUrl(base).okHttpClient(http).updateListener(updatesHandler).build();
    // Long polls hold the connection for up to maxPollSeconds; the read timeout must outlast them.
    this.pollClient = http.newBuilder()
        .readTimeout(requestTimeout.toMillis() + TimeUnit.SECONDS.toMillis(maxPollSeconds), TimeUnit.MILLISECONDS)
        .build();
    this.updatesUrl = base + token + "/getUpdates";
  }

  /**
   * The pengrad API base for a configured URL: {@code https://api.telegram.org}, {@code https://host/bot} and a
   * trailing slash all mean the same server.
   */
  static String apiBase(String apiUrl) {
    String url = apiUrl.strip();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return url.endsWith("/bot") ? url : url + "/bot";
  }

  Redactor redactor() {
    return redactor;
  }

  /**
   * Executes a pengrad request.
   *
   * @param chatId the chat the request is for (0 when none), named in error messages
   * @throws BotException mapped by {@link TelegramErrors}
   */
  <R extends BaseResponse> R execute(BaseRequest<?, R> request, long chatId) {
    String method = request.getMethod();
    R response;
    try {
      response = bot.execute(request);
    } catch (RuntimeException e) {
      // pengrad wraps IOExceptions of synchronous calls in RuntimeException; a non-JSON body fails in Gson.
      Throwable cause = e.getCause() instanceof IOException ? e.getCause() : e;
      throw TelegramErrors.fromTransport(method, chatId, cause, redactor);
    }
    if (response == null) {
      throw new ServerErrorException("Telegram " + method + " gave an empty answer");
    }
    if (!response.isOk()) {
      ResponseParameters p = response.parameters();
      throw TelegramErrors.fromEnvelope(method, chatId, response.errorCode(), redactor.scrub(response.description()),
          p == null ? null : p.retryAfter(), p == null ? null : p.migrateToChatId());
    }
    return response;
  }

  /**
   * One {@code getUpdates} long poll, answered as the raw {@code result} array.
   *
   * @throws BotException 409 as a conflict, 429 as rate-limited, network failures as retriable
   */
  JsonArray getUpdates(long offset, int limit, int timeoutSeconds, List<String> allowedUpdates) {
    FormBody.Builder form = new FormBody.Builder()
        .add("limit", Integer.toString(limit))
        .add("timeout", Integer.toString(timeoutSeconds));
    if (offset != 0) {
      form.add("offset", Long.toString(offset));
    }
    if (allowedUpdates != null) {
      JsonArray allowed = new JsonArray();
      allowedUpdates.forEach(allowed::add);
      form.add("allowed_updates", allowed.toString());
    }
    Request request = new Request.Builder().url(updatesUrl).post(form.build()).build();
    Call call = pollClient.newCall(request);
    pendingPoll = call;
    String body;
    try (Response response = call.execute()) {
      ResponseBody rb = response.body();
      body = rb == null ? "" : rb.string();
    } catch (IOException | RuntimeException e) {
      throw TelegramErrors.fromTransport("getUpdates", 0, e, redactor);
    } finally {
      pendingPoll = null;
    }
    JsonObject envelope;
    try {
      JsonElement parsed = JsonParser.parseString(body);
      envelope = parsed.getAsJsonObject();
    } catch (RuntimeException e) {
      throw TelegramErrors.fromTransport("getUpdates", 0, e, redactor);
    }
    if (!envelope.has("ok") || !envelope.get("ok").isJsonPrimitive() || !envelope.get("ok").getAsBoolean()) {
      Integer retryAfter = null;
      Long migrateTo = null;
      if (envelope.has("parameters") && envelope.get("parameters").isJsonObject()) {
        JsonObject p = envelope.getAsJsonObject("parameters");
        retryAfter = p.has("retry_after") ? p.get("retry_after").getAsInt() : null;
        migrateTo = p.has("migrate_to_chat_id") ? p.get("migrate_to_chat_id").getAsLong() : null;
      }
      int code = envelope.has("error_code") ? envelope.get("error_code").getAsInt() : 500;
      String description = envelope.has("description") ? envelope.get("description").getAsString() : null;
      throw TelegramErrors.fromEnvelope("getUpdates", 0, code, redactor.scrub(description), retryAfter, migrateTo);
    }
    JsonElement result = envelope.get("result");
    if (result == null || !result.isJsonArray()) {
      throw new ServerErrorException("Telegram getUpdates answered without a result array");
    }
    return result.getAsJsonArray();
  }

  /**
   * Starts receiving through pengrad's listener API, with {@code handler} running the loop in place of pengrad's
   * {@code SleepUpdatesHandler}.
   */
  void setUpdatesListener(UpdatesHandler handler, UpdatesListener listener, ExceptionHandler exceptionHandler) {
    updatesHandler.delegate = handler;
    bot.setUpdatesListener(listener, exceptionHandler, new GetUpdates());
  }

  void removeUpdatesListener() {
    bot.removeGetUpdatesListener();
  }

  /** Aborts a long poll in flight, for a prompt shutdown. */
  void cancelPoll() {
    Call call = pendingPoll;
    if (call != null) {
      call.cancel();
    }
  }

  @Override
  public void close() {
    updatesHandler.stop();
    cancelPoll();
    bot.shutdown();
  }

  @Override
  public String toString() {
    return "BotApi{" + redactor.scrub(updatesUrl.substring(0, updatesUrl.length() - "getUpdates".length())) + "}";
  }

  /** pengrad takes its updates handler at build time; the polling loop is chosen later. */
  private static final class DelegatingUpdatesHandler implements UpdatesHandler {
    volatile UpdatesHandler delegate;

    @Override
    public void start(TelegramBot bot, UpdatesListener listener, ExceptionHandler handler, GetUpdates request) {
      UpdatesHandler d = delegate;
      if (d == null) {
        throw new IllegalStateException("no polling loop set");
      }
      d.start(bot, listener, handler, request);
    }

    @Override
    public void stop() {
      UpdatesHandler d = delegate;
      if (d != null) {
        d.stop();
      }
    }
  }
}
