/**
 * Ports: the interfaces other modules implement (PostgreSQL storage, the Telegram sender, Kaiten, Qdrant, Redis).
 * {@code dev.tgsupport.core.memory} has an in-memory implementation of each, so the SDK runs with no server.
 *
 * <p>Storage ports are reached only inside {@link dev.tgsupport.core.port.Transactions#inTransaction}: one
 * business operation is one transaction, committed or rolled back as a whole.
 */
package dev.tgsupport.core.port;
