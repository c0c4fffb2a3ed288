package dev.tgsupport.storage.mybatis;

import dev.tgsupport.core.model.Direction;
import dev.tgsupport.core.model.Intent;
import dev.tgsupport.core.model.MessageType;
import dev.tgsupport.core.model.StoredMessage;
import java.time.Instant;

/** A messages row; the intent (two columns) and the attachment (six) need assembling. */
record MessageRow(
    long id,
    long chatId,
    Long userId,
    long telegramMessageId,
    Direction direction,
    Long threadId,
    Long replyToMessageId,
    MessageType messageType,
    String text,
    Instant sentAt,
    String noiseReason,
    String intent,
    Double confidence,
    Instant handledAt,
    MessageType attachmentType,
    String attachmentFileId,
    String attachmentFileUniqueId,
    String attachmentFileName,
    String attachmentMimeType,
    Long attachmentFileSize) {

  StoredMessage toStored() {
    Intent i = intent == null ? null : new Intent(intent, confidence == null ? 0.0 : confidence);
    AttachmentColumns a = new AttachmentColumns(attachmentType, attachmentFileId, attachmentFileUniqueId,
        attachmentFileName, attachmentMimeType, attachmentFileSize);
    return new StoredMessage(id, chatId, userId, telegramMessageId, direction, threadId, replyToMessageId,
        messageType, text, sentAt, noiseReason, i, handledAt, a.toAttachment());
  }
}
