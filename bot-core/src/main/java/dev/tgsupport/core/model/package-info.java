/**
 * Domain values: immutable records validated in their compact constructors. A refused value raises
 * {@link dev.tgsupport.core.InvalidInputException} naming the field and the value. Fields documented as nullable
 * may be null; every other field is non-null.
 */
package dev.tgsupport.core.model;
