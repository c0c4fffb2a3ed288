/**
 * The message pipeline and its plugin SPI.
 *
 * <p>A {@link dev.tgsupport.core.pipeline.Pipeline} runs every incoming message through one ordered list of
 * {@link dev.tgsupport.core.pipeline.Stage}s, each in the manner of an OkHttp interceptor. The six built-in stages
 * have the stable names of {@link dev.tgsupport.core.pipeline.Stages}: {@code record → noise → followup → intent →
 * knowledge → ticket}. {@link dev.tgsupport.core.pipeline.Plugin}s insert, replace or remove stages, register intent
 * handlers and commands, and are found on the builder or through {@link java.util.ServiceLoader}.
 */
package dev.tgsupport.core.pipeline;
