package dev.tgsupport.redis;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** The Redis keys of one work queue, and the partition of a key. */
record StreamKeys(String prefix, int partitions) {

  /** The full prefix from the Redis key prefix and the queue settings. */
  static StreamKeys of(String keyPrefix, QueueSettings settings) {
    return new StreamKeys(keyPrefix + settings.streamPrefix(), settings.partitions());
  }

  String stream(int partition) {
    return prefix + partition;
  }

  String lease(int partition) {
    return prefix + "lease:" + partition;
  }

  String dead() {
    return prefix + "dead";
  }

  /** A sorted set of live consumers (score: last heartbeat, ms), so each knows its fair share of partitions. */
  String consumers() {
    return prefix + "consumers";
  }

  /**
   * CRC-32 of the key's UTF-8 bytes modulo the partition count: fixed by the format, not by the JVM, so every
   * process (and a tool in another language) routes a chat to the same stream.
   */
  int partitionOf(String partitionKey) {
    CRC32 crc = new CRC32();
    crc.update(partitionKey.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % partitions);
  }
}
