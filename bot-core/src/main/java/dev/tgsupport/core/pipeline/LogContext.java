package dev.tgsupport.core.pipeline;

import org.slf4j.MDC;

/**
 * The SLF4J MDC keys the pipeline sets while it processes a message, so a JSON or pattern layout can put them on every
 * log line: {@value #CHAT_ID}, {@value #MESSAGE_ID} (Telegram's ids) and, once the message has a ticket,
 * {@value #TICKET_ID}. Closing restores what was there before.
 */
final class LogContext implements AutoCloseable {
  static final String CHAT_ID = "chat_id";
  static final String MESSAGE_ID = "message_id";
  static final String TICKET_ID = "ticket_id";

  private final String chat;
  private final String message;
  private final String ticket;

  private LogContext() {
    this.chat = MDC.get(CHAT_ID);
    this.message = MDC.get(MESSAGE_ID);
    this.ticket = MDC.get(TICKET_ID);
  }

  static LogContext message(long chatId, long telegramMessageId) {
    LogContext previous = new LogContext();
    MDC.put(CHAT_ID, Long.toString(chatId));
    MDC.put(MESSAGE_ID, Long.toString(telegramMessageId));
    MDC.remove(TICKET_ID);
    return previous;
  }

  static void ticket(long ticketId) {
    MDC.put(TICKET_ID, Long.toString(ticketId));
  }

  @Override
  public void close() {
    restore(CHAT_ID, chat);
    restore(MESSAGE_ID, message);
    restore(TICKET_ID, ticket);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
