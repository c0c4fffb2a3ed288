package dev.tgsupport.telegram.fake;

/** Telegram's {@code Chat.type} values, for {@link FakeTelegramServer#registerChat(long, ChatType, boolean)}. */
public enum ChatType {
  PRIVATE("private"),
  GROUP("group"),
  SUPERGROUP("supergroup"),
  CHANNEL("channel");

  private final String apiName;

  ChatType(String apiName) {
    this.apiName = apiName;
  }

  /** The value of {@code chat.type} on the wire. */
  public String apiName() {
    return apiName;
  }

  /** True for the chat kinds Telegram's "20 messages per minute to the same group" limit applies to. */
  public boolean isGroup() {
    return this == GROUP || this == SUPERGROUP;
  }

  /**
   * The type Telegram's id ranges imply: positive ids are users, {@code -100…} (13+ digits) supergroups or channels
   * (supergroup assumed), other negative ids basic groups.
   */
  public static ChatType guessFromId(long chatId) {
    if (chatId > 0) {
      return PRIVATE;
    }
    return chatId <= -1_000_000_000_000L ? SUPERGROUP : GROUP;
  }
}
