/**
 * An in-process approximate nearest-neighbour index: {@link dev.tgsupport.knowledge.hnsw.HnswKnowledgeIndex}, Lucene's
 * HNSW graph behind the core {@code KnowledgeIndex} port, in memory or on disk. Everything else here is
 * implementation.
 */
package dev.tgsupport.knowledge.hnsw;
