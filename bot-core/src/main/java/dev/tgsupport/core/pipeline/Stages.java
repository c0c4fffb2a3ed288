package dev.tgsupport.core.pipeline;

import java.util.List;

/** The stable names of the built-in stages, in pipeline order. Plugins position their stages by these names. */
public final class Stages {
  /** Stores the user, the chat and the message, idempotently. A repeated, already handled message stops here. */
  public static final String RECORD = "record";
  /** Judges noise (greetings, thanks, stickers, flood, spam): noise is marked and stops here, silently. */
  public static final String NOISE = "noise";
  /**
   * Adds a user's reply to the bot's message about their open or in-progress ticket to that ticket as a follow-up
   * (a comment event and a {@code ticket.comment} outbox row), tells the user, and stops: such a reply never opens
   * a ticket and is never looked up in the knowledge. Other messages, and commands, pass on untouched.
   */
  public static final String FOLLOW_UP = "followup";
  /** Classifies the intent; runs bot commands and registered intent handlers, which may answer instead. */
  public static final String INTENT = "intent";
  /** Looks the question up in the validated knowledge and answers when the best score clears the threshold. */
  public static final String KNOWLEDGE = "knowledge";
  /** Opens a ticket (with an outbox row, in one transaction) and tells the user its number. */
  public static final String TICKET = "ticket";

  /** The built-in order. */
  public static final List<String> BUILT_IN = List.of(RECORD, NOISE, FOLLOW_UP, INTENT, KNOWLEDGE, TICKET);

  private Stages() {}
}
