package dev.tgsupport.storage.mybatis;

import java.time.Instant;
import java.util.List;

/** A validated entry found by full-text or trigram search, with the two similarity measures the score blends. */
record KnowledgeSearchRow(
    long id,
    String question,
    String answer,
    List<String> tags,
    dev.tgsupport.core.model.KnowledgeSource source,
    dev.tgsupport.core.model.KnowledgeStatus status,
    String language,
    String validatedBy,
    Instant validatedAt,
    Instant createdAt,
    double lexemeOverlap,
    double coverage,
    double trigram) {}
