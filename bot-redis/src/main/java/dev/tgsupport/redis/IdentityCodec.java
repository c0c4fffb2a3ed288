package dev.tgsupport.redis;

/** The identity codec of {@link RedisSupport.Codec#string()}: one instance, since caches check codecs by identity. */
final class IdentityCodec implements RedisSupport.Codec<String> {
  static final IdentityCodec INSTANCE = new IdentityCodec();

  private IdentityCodec() {}

  @Override
  public String encode(String value) {
    return value;
  }

  @Override
  public String decode(String encoded) {
    return encoded;
  }
}
