package dev.tgsupport.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * A worker process for {@link RedisWorkQueueProcessesIT}: consumes the queue and records the effect of each entry
 * in Redis, idempotently, in one script call:
 * <ul>
 *   <li>{@code <prefix>done}: field {@code <chat>:<seq>} counts how often the entry was handled (exactly once by
 *       effect means every field exists; a count above 1 is a redelivery);
 *   <li>{@code <prefix>last}: the highest seq handled per chat; handling seq {@code n} when fewer than {@code n - 1}
 *       were handled is an order violation, pushed to {@code <prefix>violations};
 *   <li>{@code <prefix>by}: entries handled per worker, and {@code <prefix>redelivered}: entries per worker that
 *       came with {@code deliveries > 1} (taken over from a dead worker).
 * </ul>
 * Arguments: redis url, key prefix, consumer name, milliseconds to spend per entry. Stops when stdin closes.
 */
final class RedisWorkQueueWorker {
  private static final String EFFECT = """
      local last = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '-1')
      local seq = tonumber(ARGV[2])
      if seq > last + 1 then
        redis.call('RPUSH', KEYS[3], ARGV[1] .. ':' .. seq .. ' after ' .. last .. ' by ' .. ARGV[3])
      end
      if seq > last then
        redis.call('HSET', KEYS[2], ARGV[1], seq)
      end
      redis.call('HINCRBY', KEYS[1], ARGV[1] .. ':' .. seq, 1)
      redis.call('HINCRBY', KEYS[4], ARGV[3], 1)
      if tonumber(ARGV[4]) > 1 then
        redis.call('HINCRBY', KEYS[5], ARGV[3], 1)
      end
      return 1
      """;

  private RedisWorkQueueWorker() {}

  /** The settings both the workers and the test's publisher use. */
  static QueueSettings settings(String consumerName) {
    return QueueSettings.builder().consumerName(consumerName).leaseTtl(Duration.ofSeconds(2))
        .blockTimeout(Duration.ofMillis(200)).claimTimeout(Duration.ofSeconds(5)).build();
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String prefix = args[1];
    String name = args[2];
    long millis = Long.parseLong(args[3]);
    RedisClient client = RedisClient.create(url);
    StatefulRedisConnection<String, String> connection = client.connect();
    RedisCommands<String, String> redis = connection.sync();
    String sha = redis.scriptLoad(EFFECT);
    String[] keys = {prefix + "done", prefix + "last", prefix + "violations", prefix + "by", prefix + "redelivered"};

    RedisWorkQueue queue = RedisWorkQueue.create(url, prefix, settings(name), DegradationSignal.NONE);
    queue.consume(e -> {
      if (millis > 0) {
        Thread.sleep(millis);
      }
      redis.evalsha(sha, ScriptOutputType.INTEGER, keys, e.partitionKey(), e.payload(), name,
          Integer.toString(e.deliveries()));
    });
    System.out.println("ready " + name);
    System.out.flush();

    while (System.in.read() != -1) {
      // the test holds our stdin open while it wants us running
    }
    queue.close(Duration.ofSeconds(2));
    connection.close();
    client.shutdown();
    System.exit(0);
  }
}
