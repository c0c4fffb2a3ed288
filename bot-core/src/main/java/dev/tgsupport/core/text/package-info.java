/**
 * The default text models: model-free, dependency-free, Russian and English.
 *
 * <ul>
 *   <li>{@link dev.tgsupport.core.text.TextNormalizer}: normalisation, tokens, stems and character n-grams that
 *       every model below builds on;
 *   <li>{@link dev.tgsupport.core.text.Languages}: "ru" or "en" for a text;
 *   <li>{@link dev.tgsupport.core.text.DefaultNoiseFilter}: greetings, thanks, acknowledgements, stickers, flood,
 *       and spam with a {@link dev.tgsupport.core.text.SpamDetector};
 *   <li>{@link dev.tgsupport.core.text.SpamDetector}: group spam in the manner of tg-spam, trained on your samples;
 *   <li>{@link dev.tgsupport.core.text.ExampleIntentClassifier}: intents learnt from a handful of example phrases;
 *   <li>{@link dev.tgsupport.core.text.LexicalKnowledgeRetriever}: an in-memory lexical index of validated entries;
 *   <li>{@link dev.tgsupport.core.text.HashingEmbedder}: a deterministic feature-hashing {@code Embedder}.
 * </ul>
 *
 * <p>They are good enough to run a bot with no external service and to serve as baselines; swap in model-backed
 * ports when you need semantic matching across wholly different wording. Every type here is thread-safe, and no
 * method throws on odd text (empty, huge, control characters, lone surrogates). Everything is non-null unless
 * documented otherwise.
 */
package dev.tgsupport.core.text;
