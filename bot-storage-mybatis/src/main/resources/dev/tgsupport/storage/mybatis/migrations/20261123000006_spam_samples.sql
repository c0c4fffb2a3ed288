-- // spam samples
-- What staff teach the spam detector with /spam and /notspam (and samples added by tools). A sample taken from a
-- message keeps the message's chat and id, so teaching the same message twice stores one sample per kind and
-- /notspam can find the spam sample it undoes. Instances reload the samples every minute: the kind index serves
-- that scan.

CREATE TABLE spam_samples (
  id                   BIGSERIAL PRIMARY KEY,
  kind                 TEXT NOT NULL,
  text                 TEXT NOT NULL,
  chat_id              BIGINT,
  telegram_message_id  BIGINT,
  added_by             BIGINT,
  tags                 TEXT[] NOT NULL DEFAULT '{}',
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at           TIMESTAMPTZ,
  CONSTRAINT spam_samples_kind_check CHECK (kind IN ('spam', 'ham')),
  CONSTRAINT spam_samples_source_check CHECK ((chat_id IS NULL) = (telegram_message_id IS NULL)),
  CONSTRAINT spam_samples_message_id_check CHECK (telegram_message_id > 0)
);
CREATE UNIQUE INDEX spam_samples_message ON spam_samples (chat_id, telegram_message_id, kind)
  WHERE deleted_at IS NULL AND chat_id IS NOT NULL;
CREATE INDEX spam_samples_kind ON spam_samples (kind, id) WHERE deleted_at IS NULL;
CREATE INDEX spam_samples_tags_gin ON spam_samples USING gin (tags);
CREATE TRIGGER spam_samples_touch BEFORE UPDATE ON spam_samples
  FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

-- //@UNDO
-- Taught samples exist only here: undoing this script forgets them (export them first if they matter).
DROP TABLE spam_samples;
