/**
 * In-memory implementations of the ports, so the SDK runs and is testable with no server at all:
 * {@link dev.tgsupport.core.memory.InMemoryStorage} (every storage port, with real commit and rollback),
 * {@link dev.tgsupport.core.memory.InMemoryReplyGateway}, {@link dev.tgsupport.core.memory.InMemoryTicketTracker},
 * {@link dev.tgsupport.core.memory.InMemoryKnowledgeIndex}, {@link dev.tgsupport.core.memory.InMemoryRateLimiter},
 * {@link dev.tgsupport.core.memory.InMemoryCache}, {@link dev.tgsupport.core.memory.InMemoryFloodCounter},
 * {@link dev.tgsupport.core.memory.InMemoryDeduplicator} and {@link dev.tgsupport.core.memory.InMemoryDialogStates}.
 *
 * <p>Each keeps its state in the heap of one process: nothing survives a restart and nothing is shared between
 * processes. All of them are thread-safe. They are the defaults of the pipeline builder and the reference the
 * contract suites of {@code src/test} ({@code dev.tgsupport.core.contract}) are checked against.
 *
 * <p>Everything is non-null unless documented otherwise; absent results are {@link java.util.Optional}.
 */
package dev.tgsupport.core.memory;
