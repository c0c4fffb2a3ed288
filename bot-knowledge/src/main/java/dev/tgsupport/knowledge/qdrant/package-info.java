/**
 * The Qdrant vector index: {@link dev.tgsupport.knowledge.qdrant.QdrantKnowledgeIndex} implements the core
 * {@code KnowledgeIndex} port over Qdrant's gRPC API. Everything else in the package is implementation.
 *
 * <p>Everything is non-null unless documented otherwise.
 */
package dev.tgsupport.knowledge.qdrant;
