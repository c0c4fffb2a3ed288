/**
 * The tgsupport SDK core: the exception tree. Domain values live in {@code dev.tgsupport.core.model}, ports in
 * {@code dev.tgsupport.core.port}, the pipeline and its plugin SPI in {@code dev.tgsupport.core.pipeline}, in-memory
 * defaults in {@code dev.tgsupport.core.memory} and the default text models in {@code dev.tgsupport.core.text}.
 *
 * <p>Everything is non-null unless documented otherwise; absent results are {@link java.util.Optional}.
 */
package dev.tgsupport.core;
