-- // knowledge question key
-- Imports find an entry by its question, ignoring case and whitespace (KnowledgeStore.findByQuestion), once per
-- imported row: this expression index answers that lookup, and KnowledgeMapper.findByQuestion uses exactly the
-- same expression. Not unique: entries stored before imports existed may already ask the same question twice.

CREATE INDEX knowledge_question_key ON knowledge_entries (lower(btrim(regexp_replace(question, '\s+', ' ', 'g'))), id)
  WHERE deleted_at IS NULL;

-- //@UNDO
DROP INDEX knowledge_question_key;
