-- // edits attachments and raw updates
-- Edited messages (edited_at, ticket events of kind 'edit'), the file a message carries, the new message types
-- (video, animation, contact, location), the index that finds messages stored but never handled after a crash, and
-- telegram_updates: the updates the SDK could not use, kept verbatim.

ALTER TABLE messages DROP CONSTRAINT messages_message_type_check;
ALTER TABLE messages ADD CONSTRAINT messages_message_type_check CHECK (message_type IN
  ('text', 'voice', 'photo', 'document', 'sticker', 'video', 'animation', 'contact', 'location', 'other'));

-- Only Telegram's reference to the file: the bytes stay with Telegram.
ALTER TABLE messages
  ADD COLUMN attachment_type            TEXT CONSTRAINT messages_attachment_type_check CHECK (attachment_type IN
    ('text', 'voice', 'photo', 'document', 'sticker', 'video', 'animation', 'contact', 'location', 'other')),
  ADD COLUMN attachment_file_id         TEXT,
  ADD COLUMN attachment_file_unique_id  TEXT,
  ADD COLUMN attachment_file_name       TEXT,
  ADD COLUMN attachment_mime_type       TEXT,
  ADD COLUMN attachment_file_size       BIGINT CONSTRAINT messages_attachment_file_size_check
    CHECK (attachment_file_size >= 0),
  ADD COLUMN edited_at                  TIMESTAMPTZ,
  -- An attachment is a type and a file id, or nothing: the other fields describe the file.
  ADD CONSTRAINT messages_attachment_whole CHECK (
    (attachment_type IS NULL) = (attachment_file_id IS NULL)
    AND (attachment_file_id IS NOT NULL OR (attachment_file_unique_id IS NULL AND attachment_file_name IS NULL
      AND attachment_mime_type IS NULL AND attachment_file_size IS NULL)));

-- listUnhandled after a crash: the few incoming messages stored but never handled, in the order they were stored.
CREATE INDEX messages_unhandled ON messages (created_at, id)
  WHERE direction = 'in' AND handled_at IS NULL AND deleted_at IS NULL;

ALTER TABLE ticket_events DROP CONSTRAINT ticket_events_kind_check;
ALTER TABLE ticket_events ADD CONSTRAINT ticket_events_kind_check
  CHECK (kind IN ('status', 'comment', 'assignment', 'edit'));

CREATE TABLE telegram_updates (
  update_id    BIGINT PRIMARY KEY,
  -- The update's payload field (message_reaction, chat_boost, …) or 'unparsable'.
  kind         TEXT NOT NULL CHECK (btrim(kind) <> ''),
  -- The JSON exactly as received (less NUL characters): text, not jsonb, so nothing is normalised away.
  payload      TEXT NOT NULL,
  error        TEXT,
  received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  tags         TEXT[] NOT NULL DEFAULT '{}',
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at   TIMESTAMPTZ
);
CREATE INDEX telegram_updates_received ON telegram_updates (received_at DESC, update_id DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX telegram_updates_tags_gin ON telegram_updates USING gin (tags);
CREATE TRIGGER telegram_updates_touch BEFORE UPDATE ON telegram_updates
  FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

-- //@UNDO
-- Lossy where the old schema has no place for a value, but no message or event is deleted: messages of the new
-- types become 'other' (their attachment columns go), and 'edit' events become 'comment' events (author and body,
-- the user and the new text, stay). The raw updates are dropped with their table.
DROP TABLE telegram_updates;

UPDATE ticket_events SET kind = 'comment' WHERE kind = 'edit';
ALTER TABLE ticket_events DROP CONSTRAINT ticket_events_kind_check;
ALTER TABLE ticket_events ADD CONSTRAINT ticket_events_kind_check CHECK (kind IN ('status', 'comment', 'assignment'));

DROP INDEX messages_unhandled;

ALTER TABLE messages
  DROP CONSTRAINT messages_attachment_whole,
  DROP COLUMN edited_at,
  DROP COLUMN attachment_file_size,
  DROP COLUMN attachment_mime_type,
  DROP COLUMN attachment_file_name,
  DROP COLUMN attachment_file_unique_id,
  DROP COLUMN attachment_file_id,
  DROP COLUMN attachment_type;

UPDATE messages SET message_type = 'other' WHERE message_type IN ('video', 'animation', 'contact', 'location');
ALTER TABLE messages DROP CONSTRAINT messages_message_type_check;
ALTER TABLE messages ADD CONSTRAINT messages_message_type_check
  CHECK (message_type IN ('text', 'voice', 'photo', 'document', 'sticker', 'other'));
