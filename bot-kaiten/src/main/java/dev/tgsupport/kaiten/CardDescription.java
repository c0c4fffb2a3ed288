package dev.tgsupport.kaiten;

import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.Chat;
import dev.tgsupport.core.model.ChatType;
import dev.tgsupport.core.model.StoredMessage;
import dev.tgsupport.core.model.TelegramUser;
import dev.tgsupport.core.model.Ticket;
import java.util.Optional;

/**
 * The Markdown description of a ticket's card: the question, who asked (name, @username, id), where, and a link to
 * the message. Attachments are listed by Telegram file id, never as download links: a download URL embeds the bot
 * token, which must not end up in Kaiten.
 */
final class CardDescription {
  private static final long SUPERGROUP_OFFSET = 1_000_000_000_000L;

  private CardDescription() {}

  static String render(Ticket ticket, StoredMessage message, TelegramUser user, Chat chat) {
    StringBuilder b = new StringBuilder();
    String text = message == null ? ticket.title() : message.text();
    b.append("**Question** (ticket #").append(ticket.id()).append(")\n\n");
    b.append(quote(text.isBlank() ? "[" + (message == null ? "no text" : message.type().wireName()) + "]" : text));
    b.append("\n\n**From:** ");
    if (user == null) {
      b.append("Telegram user ").append(ticket.userId());
    } else {
      b.append(escape(fullName(user)));
      if (user.username() != null) {
        b.append(" ([@").append(escape(user.username())).append("](https://t.me/").append(user.username())
            .append("))");
      }
      b.append(", id ").append(user.id());
    }
    b.append(" — [open in Telegram](tg://user?id=").append(ticket.userId()).append(")\n");
    b.append("**Chat:** ");
    if (chat == null) {
      b.append(ticket.chatId());
    } else {
      b.append(chat.title().isBlank() ? "" : escape(chat.title()) + " ").append("(")
          .append(chat.type().wireName()).append(", id ").append(chat.id()).append(")");
    }
    b.append('\n');
    if (message != null) {
      Optional<String> link = messageLink(ticket.chatId(), chat == null ? null : chat.type(), message);
      b.append("**Message:** ");
      if (link.isPresent()) {
        b.append("[").append(link.get()).append("](").append(link.get()).append(")");
      } else {
        // Private chats and basic groups have no public message links; the user link above is the way in.
        b.append("id ").append(message.telegramMessageId()).append(" (no link: Telegram has none for ")
            .append(chat == null ? "this chat" : chat.type().wireName() + " chats").append(")");
      }
      b.append('\n');
      Attachment a = message.attachment();
      if (a != null) {
        b.append("**Attachment:** ").append(a.type().wireName());
        if (a.fileName() != null) {
          b.append(" `").append(a.fileName().replace("`", "'")).append('`');
        }
        if (a.mimeType() != null) {
          b.append(", ").append(a.mimeType());
        }
        if (a.fileSize() != null) {
          b.append(", ").append(a.fileSize()).append(" bytes");
        }
        b.append(", Telegram file_id `").append(a.fileId()).append("`\n");
      }
    }
    String out = b.toString();
    return out.length() <= NewCard.MAX_DESCRIPTION ? out : out.substring(0, NewCard.MAX_DESCRIPTION - 1) + "…";
  }

  /**
   * {@code https://t.me/c/<internal id>/<message id>} (with the topic for forum threads) for supergroups and
   * channels, whose Bot API ids are {@code -100<internal id>}; nothing for private chats and basic groups.
   */
  static Optional<String> messageLink(long chatId, ChatType type, StoredMessage message) {
    boolean linkable = type == null ? chatId < -SUPERGROUP_OFFSET
        : (type == ChatType.SUPERGROUP || type == ChatType.CHANNEL) && chatId < -SUPERGROUP_OFFSET;
    if (!linkable) {
      return Optional.empty();
    }
    long internal = -chatId - SUPERGROUP_OFFSET;
    String thread = message.threadId() == null ? "" : message.threadId() + "/";
    return Optional.of("https://t.me/c/" + internal + "/" + thread + message.telegramMessageId());
  }

  static String fullName(TelegramUser user) {
    String name = user.firstName();
    if (user.lastName() != null && !user.lastName().isBlank()) {
      name = name.isBlank() ? user.lastName() : name + " " + user.lastName();
    }
    return name.isBlank() ? "user " + user.id() : name;
  }

  private static String quote(String text) {
    return "> " + text.strip().replace("\r\n", "\n").replace("\n", "\n> ");
  }

  /** Names are user-controlled: keep them from turning into Markdown. */
  static String escape(String text) {
    return text.replaceAll("([\\\\`*_\\[\\]<>#|])", "\\\\$1");
  }
}
