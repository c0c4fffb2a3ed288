package dev.tgsupport.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run with {@code EVALSHA}: one round trip when the server knows it, which is always except after a
 * restart or {@code SCRIPT FLUSH}; then {@code EVAL} sends the text once and Redis caches it again.
 */
final class LuaScript {
  private final String text;
  private final String sha;

  LuaScript(String text) {
    this.text = text;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      this.sha = HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }

  String sha() {
    return sha;
  }

  long evalLong(RedisCommands<String, String> redis, String[] keys, String... args) {
    Long result;
    try {
      result = redis.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
    } catch (RedisNoScriptException unknown) {
      result = redis.eval(text, ScriptOutputType.INTEGER, keys, args);
    }
    return result;
  }
}
