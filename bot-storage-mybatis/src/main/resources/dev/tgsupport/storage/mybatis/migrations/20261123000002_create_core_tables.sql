-- // create core tables
-- Users, chats, messages, tickets, ticket events, knowledge entries, outbox and sync log.
-- Every table: created_at, updated_at (trigger), deleted_at (soft delete), tags text[] (GIN).
-- pg_trgm is trusted (PostgreSQL 13+): a database owner may create it. It lives in public so that dropping one
-- schema never removes it from the others.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE FUNCTION tgsupport_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

CREATE TABLE users (
  id             BIGINT PRIMARY KEY CHECK (id > 0),
  username       TEXT,
  first_name     TEXT NOT NULL DEFAULT '',
  last_name      TEXT,
  language_code  TEXT,
  is_internal    BOOLEAN NOT NULL DEFAULT FALSE,
  is_blocked     BOOLEAN NOT NULL DEFAULT FALSE,
  tags           TEXT[] NOT NULL DEFAULT '{}',
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at     TIMESTAMPTZ
);
CREATE INDEX users_tags_gin ON users USING gin (tags);
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

CREATE TABLE chats (
  id           BIGINT PRIMARY KEY CHECK (id <> 0),
  type         TEXT NOT NULL CHECK (type IN ('private', 'group', 'supergroup', 'channel')),
  title        TEXT NOT NULL DEFAULT '',
  is_archived  BOOLEAN NOT NULL DEFAULT FALSE,
  migrated_to  BIGINT,
  settings     JSONB NOT NULL DEFAULT '{}'::jsonb,
  tags         TEXT[] NOT NULL DEFAULT '{}',
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at   TIMESTAMPTZ
);
CREATE INDEX chats_tags_gin ON chats USING gin (tags);
-- Finds the groups that migrated into a supergroup (its history lists theirs); only migrated chats are in it.
CREATE INDEX chats_migrated_to ON chats (migrated_to) WHERE migrated_to IS NOT NULL;
CREATE TRIGGER chats_touch BEFORE UPDATE ON chats FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

CREATE TABLE messages (
  id                   BIGSERIAL PRIMARY KEY,
  chat_id              BIGINT NOT NULL REFERENCES chats (id),
  telegram_message_id  BIGINT NOT NULL CHECK (telegram_message_id > 0),
  direction            TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  user_id              BIGINT REFERENCES users (id),
  thread_id            BIGINT,
  reply_to_message_id  BIGINT,
  message_type         TEXT NOT NULL CHECK (message_type IN ('text', 'voice', 'photo', 'document', 'sticker', 'other')),
  text                 TEXT NOT NULL DEFAULT '',
  -- NUL characters cannot be stored in PostgreSQL text: they are stripped and counted here.
  stripped_nul_count   INTEGER NOT NULL DEFAULT 0,
  sent_at              TIMESTAMPTZ NOT NULL,
  is_noise             BOOLEAN NOT NULL DEFAULT FALSE,
  noise_reason         TEXT,
  intent               TEXT,
  confidence           DOUBLE PRECISION CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1)),
  entities             JSONB,
  handled_at           TIMESTAMPTZ,
  -- The 'russian' configuration stems Cyrillic words with the Russian and ASCII words with the English stemmer.
  -- Only the first 100 000 characters are indexed: a tsvector holds at most 1 MB of lexemes, and a longer text of
  -- distinct words (a pasted log) would otherwise be refused as a whole.
  text_tsv             TSVECTOR GENERATED ALWAYS AS (to_tsvector('russian', left(text, 100000))) STORED,
  tags                 TEXT[] NOT NULL DEFAULT '{}',
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at           TIMESTAMPTZ,
  CONSTRAINT messages_key UNIQUE (chat_id, telegram_message_id, direction)
);
CREATE INDEX messages_chat_time ON messages (chat_id, sent_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX messages_user ON messages (user_id) WHERE deleted_at IS NULL;
CREATE INDEX messages_text_tsv ON messages USING gin (text_tsv);
CREATE INDEX messages_tags_gin ON messages USING gin (tags);
CREATE TRIGGER messages_touch BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

CREATE TABLE tickets (
  id              BIGSERIAL PRIMARY KEY,
  message_id      BIGINT NOT NULL REFERENCES messages (id),
  chat_id         BIGINT NOT NULL REFERENCES chats (id),
  user_id         BIGINT NOT NULL REFERENCES users (id),
  kaiten_card_id  TEXT,
  status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
  assigned_to     TEXT,
  title           TEXT NOT NULL DEFAULT '',
  resolved_at     TIMESTAMPTZ,
  tags            TEXT[] NOT NULL DEFAULT '{}',
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at      TIMESTAMPTZ,
  CONSTRAINT tickets_message UNIQUE (message_id)
);
CREATE INDEX tickets_user_active ON tickets (user_id, id) WHERE status IN ('open', 'in_progress') AND deleted_at IS NULL;
CREATE UNIQUE INDEX tickets_card ON tickets (kaiten_card_id) WHERE kaiten_card_id IS NOT NULL;
CREATE INDEX tickets_chat ON tickets (chat_id);
CREATE INDEX tickets_tags_gin ON tickets USING gin (tags);
CREATE TRIGGER tickets_touch BEFORE UPDATE ON tickets FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

CREATE TABLE ticket_events (
  id           BIGSERIAL PRIMARY KEY,
  ticket_id    BIGINT NOT NULL REFERENCES tickets (id),
  kind         TEXT NOT NULL CHECK (kind IN ('status', 'comment', 'assignment')),
  author       TEXT NOT NULL DEFAULT '',
  body         TEXT NOT NULL DEFAULT '',
  external_id  TEXT,
  tags         TEXT[] NOT NULL DEFAULT '{}',
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at   TIMESTAMPTZ,
  CONSTRAINT ticket_events_external UNIQUE (ticket_id, external_id)
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
CREATE INDEX ticket_events_tags_gin ON ticket_events USING gin (tags);
CREATE TRIGGER ticket_events_touch BEFORE UPDATE ON ticket_events FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

CREATE TABLE knowledge_entries (
  id               BIGSERIAL PRIMARY KEY,
  question         TEXT NOT NULL CHECK (btrim(question) <> ''),
  answer           TEXT NOT NULL CHECK (btrim(answer) <> ''),
  source           TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'docs', 'kaiten')),
  status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'validated', 'archived')),
  validated_by     TEXT,
  validated_at     TIMESTAMPTZ,
  embedding_id     TEXT,
  embedding_model  TEXT,
  language         TEXT,
  -- Prefixes only, as for messages.text_tsv: a tsvector holds at most 1 MB of lexemes.
  search_tsv       TSVECTOR GENERATED ALWAYS AS (
                     setweight(to_tsvector('russian', left(question, 100000)), 'A')
                     || setweight(to_tsvector('russian', left(answer, 100000)), 'C')) STORED,
  tags             TEXT[] NOT NULL DEFAULT '{}',
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at       TIMESTAMPTZ
);
CREATE INDEX knowledge_status ON knowledge_entries (status, id) WHERE deleted_at IS NULL;
CREATE INDEX knowledge_search_tsv ON knowledge_entries USING gin (search_tsv);
CREATE INDEX knowledge_question_trgm ON knowledge_entries USING gin (lower(question) public.gin_trgm_ops);
CREATE INDEX knowledge_tags_gin ON knowledge_entries USING gin (tags);
CREATE TRIGGER knowledge_entries_touch BEFORE UPDATE ON knowledge_entries FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

CREATE TABLE outbox (
  id               BIGSERIAL PRIMARY KEY,
  kind             TEXT NOT NULL,
  payload          JSONB NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_error       TEXT,
  done_at          TIMESTAMPTZ,
  tags             TEXT[] NOT NULL DEFAULT '{}',
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at       TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE done_at IS NULL AND deleted_at IS NULL;
CREATE INDEX outbox_tags_gin ON outbox USING gin (tags);
CREATE TRIGGER outbox_touch BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

CREATE TABLE sync_log (
  id           BIGSERIAL PRIMARY KEY,
  integration  TEXT NOT NULL,
  kind         TEXT NOT NULL,
  status       TEXT NOT NULL,
  started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at  TIMESTAMPTZ,
  records      INTEGER NOT NULL DEFAULT 0,
  errors       TEXT,
  tags         TEXT[] NOT NULL DEFAULT '{}',
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  deleted_at   TIMESTAMPTZ
);
CREATE INDEX sync_log_integration ON sync_log (integration, started_at DESC);
CREATE INDEX sync_log_tags_gin ON sync_log USING gin (tags);
CREATE TRIGGER sync_log_touch BEFORE UPDATE ON sync_log FOR EACH ROW EXECUTE FUNCTION tgsupport_touch_updated_at();

-- //@UNDO
DROP TABLE sync_log;
DROP TABLE outbox;
DROP TABLE knowledge_entries;
DROP TABLE ticket_events;
DROP TABLE tickets;
DROP TABLE messages;
DROP TABLE chats;
DROP TABLE users;
DROP FUNCTION tgsupport_touch_updated_at();
