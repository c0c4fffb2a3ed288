package dev.tgsupport.core.model;

import static dev.tgsupport.core.InvalidInputException.check;
import static dev.tgsupport.core.InvalidInputException.requireNonBlank;
import static dev.tgsupport.core.InvalidInputException.requireNonNull;

/**
 * A file a message carries (the largest size of a photo, a document, a voice note, a video, an animation or a
 * sticker). Only Telegram's reference is kept; the bytes stay with Telegram until someone downloads them.
 *
 * @param type the kind of message the file came with
 * @param fileId Telegram's id for downloading (getFile); not blank
 * @param fileUniqueId Telegram's stable id of the file, the same for every bot; nullable
 * @param fileName the original name of a document; nullable
 * @param mimeType nullable
 * @param fileSize bytes; nullable when Telegram did not say
 */
public record Attachment(
    MessageType type, String fileId, String fileUniqueId, String fileName, String mimeType, Long fileSize) {

  public Attachment {
    requireNonNull(type, "attachment.type");
    requireNonBlank(fileId, "attachment.fileId");
    check(fileSize == null || fileSize >= 0, "attachment.fileSize", "must be >= 0 when present", fileSize);
  }

  public static Attachment of(MessageType type, String fileId) {
    return new Attachment(type, fileId, null, null, null, null);
  }
}
