/**
 * Knowledge retrieval for tgsupport: embedders behind the core {@code Embedder} port, vector indexes behind the
 * {@code KnowledgeIndex} port (Qdrant over gRPC, an in-process HNSW index), hybrid lexical + vector retrieval and
 * knowledge-base import.
 */
package dev.tgsupport.knowledge;
