-- // outbox parking and sync log rules
-- Poison outbox entries are parked (parked_at) instead of being retried for ever: the due index leaves them out, so
-- claiming never reads them (listPending reads its few rows through the same index), and a small index lists them
-- for staff. sync_log gets the rules its store relies on (known statuses, a finish time exactly when finished, no
-- negative counts) and an index for "newest runs of an integration" that also orders runs started at one instant.

ALTER TABLE outbox ADD COLUMN parked_at TIMESTAMPTZ;

DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id)
  WHERE done_at IS NULL AND parked_at IS NULL AND deleted_at IS NULL;
CREATE INDEX outbox_parked ON outbox (parked_at DESC, id DESC) WHERE parked_at IS NOT NULL AND deleted_at IS NULL;

ALTER TABLE sync_log
  ADD CONSTRAINT sync_log_status_check CHECK (status IN ('running', 'ok', 'failed')),
  ADD CONSTRAINT sync_log_finished_check CHECK ((status = 'running') = (finished_at IS NULL)),
  ADD CONSTRAINT sync_log_records_check CHECK (records >= 0);

DROP INDEX sync_log_integration;
CREATE INDEX sync_log_recent ON sync_log (integration, started_at DESC, id DESC) WHERE deleted_at IS NULL;

-- //@UNDO
-- The old schema cannot tell a parked entry from a due one, and would retry every parked entry at once. So parked
-- entries are soft-deleted instead (hidden from the old queries, never claimed) and tagged 'parked'; no row is lost
-- and last_error says why each one was parked.
DROP INDEX sync_log_recent;
CREATE INDEX sync_log_integration ON sync_log (integration, started_at DESC);

ALTER TABLE sync_log
  DROP CONSTRAINT sync_log_records_check,
  DROP CONSTRAINT sync_log_finished_check,
  DROP CONSTRAINT sync_log_status_check;

UPDATE outbox SET deleted_at = coalesce(deleted_at, parked_at), tags = array_append(tags, 'parked')
  WHERE parked_at IS NOT NULL;

DROP INDEX outbox_parked;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE done_at IS NULL AND deleted_at IS NULL;

ALTER TABLE outbox DROP COLUMN parked_at;
