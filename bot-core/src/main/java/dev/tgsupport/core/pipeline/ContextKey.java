package dev.tgsupport.core.pipeline;

import java.util.Objects;

/**
 * A typed key for plugin data carried by a {@link MessageContext}. Keys compare by identity: keep one instance in a
 * static field.
 *
 * <pre>{@code static final ContextKey<String> ORDER_ID = ContextKey.of("shop.orderId", String.class);}</pre>
 */
public final class ContextKey<T> {
  private final String name;
  private final Class<T> type;

  private ContextKey(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  public static <T> ContextKey<T> of(String name, Class<T> type) {
    return new ContextKey<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
  }

  public String name() {
    return name;
  }

  T cast(Object value) {
    return type.cast(value);
  }

  Class<T> type() {
    return type;
  }

  @Override
  public String toString() {
    return "ContextKey[" + name + "]";
  }
}
