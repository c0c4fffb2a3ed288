package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.Attachment;
import dev.tgsupport.core.model.MessageType;

/** The attachment_* columns of a messages row: all null for a message without a file. */
record AttachmentColumns(
    MessageType type, String fileId, String fileUniqueId, String fileName, String mimeType, Long fileSize) {

  static final AttachmentColumns NONE = new AttachmentColumns(null, null, null, null, null, null);

  /**
   * The columns of an attachment, texts made storable. A file id of nothing but NULs cannot be stored: it is refused
   * here (InvalidInputException naming attachment.fileId) rather than stored blank and unreadable.
   */
  static AttachmentColumns of(Attachment a) {
    if (a == null) {
      return NONE;
    }
    Attachment clean = new Attachment(a.type(), Texts.clean(a.fileId()), Texts.clean(a.fileUniqueId()),
        Texts.clean(a.fileName()), Texts.clean(a.mimeType()), a.fileSize());
    return new AttachmentColumns(clean.type(), clean.fileId(), clean.fileUniqueId(), clean.fileName(),
        clean.mimeType(), clean.fileSize());
  }

  /** Null when the row has no attachment. */
  Attachment toAttachment() {
    return type == null ? null : new Attachment(type, fileId, fileUniqueId, fileName, mimeType, fileSize);
  }
}
