/**
 * Embedders behind bot-core's {@link dev.tgsupport.core.port.Embedder} port: {@link
 * dev.tgsupport.knowledge.embed.LocalEmbedder} (the bundled MiniLM, in-process, English only), {@link
 * dev.tgsupport.knowledge.embed.OpenAiEmbedder} (any OpenAI-compatible {@code /v1/embeddings} server) and {@link
 * dev.tgsupport.knowledge.embed.CachingEmbedder} (an LRU cache in front of either).
 *
 * <p>All refuse blank text the same way ({@code text must not be blank}, {@code texts[3] must not be blank}) and
 * report failures with bot-core's exception tree.
 */
package dev.tgsupport.knowledge.embed;
