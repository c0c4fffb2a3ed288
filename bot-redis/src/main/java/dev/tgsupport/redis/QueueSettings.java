package dev.tgsupport.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How the Redis work queue lays out its streams and how its consumers behave. Immutable; start from
 * {@link #defaults()} or {@link #builder()}, derive variants with {@link #toBuilder()}.
 *
 * <pre>{@code
 * QueueSettings settings = QueueSettings.builder()
 *     .workers(8)                              // handler threads in this process
 *     .claimTimeout(Duration.ofSeconds(60))    // our pipeline may take long on one update
 *     .build();
 * WorkQueue queue = redis.workQueue(settings);
 * }</pre>
 *
 * <p><b>The queue these settings shape.</b> {@code publish} is one {@code XADD} to the partition stream of the key.
 * Every consumer (one per process) holds leases on a fair share of the partitions, renewed in the background, and
 * reads, handles and acknowledges only those: so each partition, and each chat, has one active consumer at a time
 * and is handled in order, across any number of processes. An entry is acknowledged after its handler returned;
 * a failed entry is retried after a backoff while the later entries of its key wait; after {@code maxDeliveries}
 * it goes to the dead-letter stream {@code <prefix>dead}. When a consumer dies, its leases expire after
 * {@code leaseTtl} and the consumer that takes a partition over first finishes the entries the dead one left
 * pending, then goes on in order.
 *
 * <p><b>When Redis is unreachable</b>, {@code publish} does not fail: entries are delivered in-process (to this
 * process's consumer, or forwarded to Redis once it is back in a process that only publishes), the outage is
 * reported once per outage through {@code RedisSupport}'s degradation listener, and the queue goes back to Redis by
 * itself. Weaker guarantees hold for those entries: they live only in this process's memory, so they are lost if
 * the process dies before handling them; they may be handled before older entries of the same chat that are still
 * in Redis; and they (like any entry whose publish timed out) may be handled twice. Handlers must be idempotent.
 * For entries in the streams to survive a Redis restart, Redis must persist (AOF).
 *
 * <p>Every process of one deployment must use the same {@code streamPrefix}, {@code partitions} and {@code group}:
 * they decide which stream a chat goes to. Changing {@code partitions} while entries are queued moves chats to other
 * streams, so their order across the change is not kept; drain the queue first.
 *
 * @param streamPrefix appended to the Redis key prefix; stream {@code p} is {@code <keyPrefix><streamPrefix><p>},
 *     the dead-letter stream {@code <keyPrefix><streamPrefix>dead}; default {@code queue:}
 * @param partitions streams a partition key is hashed onto (CRC-32 of its UTF-8 bytes, modulo this); each has one
 *     active consumer at a time, so this bounds the parallelism of the whole deployment; default 16
 * @param group the consumer group name; default {@code tgsupport}
 * @param consumerName this consumer's name in the group and on its leases; must be unique among live consumers.
 *     Empty (the default) means "host-pid-random", generated per queue instance
 * @param maxLength approximate cap per stream ({@code XADD MAXLEN ~}); Redis trims the oldest entries even when
 *     they were not handled yet, so this must exceed the worst backlog; default 100,000
 * @param claimTimeout an entry pending this long at another consumer of a partition this one holds is taken over;
 *     default 30 s
 * @param maxDeliveries deliveries of a failing entry before it goes to the dead-letter stream; default 5
 * @param blockTimeout how long one read waits for new entries; default 1 s
 * @param batchSize entries read per stream and read call, and acknowledged per acknowledgement call; default 100
 * @param workers handler threads of this process's consumer; default 4
 * @param leaseTtl how long a partition lease lives without renewal (renewed every third of it); a dead consumer's
 *     partitions move to others after about this long; default 10 s
 * @param retryBackoff wait before the second delivery of a failed entry, doubling for each later one (at most a
 *     minute); default 1 s
 * @param commandTimeout how long a publish or a control command waits for Redis before Redis counts as
 *     unreachable and the queue falls back to in-process delivery; default 2 s
 * @param fallbackCapacity entries the in-process fallback holds during an outage before {@code publish} blocks;
 *     default 10,000
 */
public record QueueSettings(
    String streamPrefix,
    int partitions,
    String group,
    String consumerName,
    long maxLength,
    Duration claimTimeout,
    int maxDeliveries,
    Duration blockTimeout,
    int batchSize,
    int workers,
    Duration leaseTtl,
    Duration retryBackoff,
    Duration commandTimeout,
    int fallbackCapacity) {

  public QueueSettings {
    Objects.requireNonNull(streamPrefix, "streamPrefix");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(consumerName, "consumerName");
    check(!group.isBlank(), "group", "must not be blank", "\"" + group + "\"");
    check(partitions > 0 && partitions <= 1024, "partitions", "must be in 1..1024", partitions);
    check(maxLength >= 100, "maxLength", "must be >= 100", maxLength);
    positive("claimTimeout", claimTimeout);
    check(maxDeliveries > 0, "maxDeliveries", "must be > 0", maxDeliveries);
    positive("blockTimeout", blockTimeout);
    check(batchSize > 0 && batchSize <= 10_000, "batchSize", "must be in 1..10000", batchSize);
    check(workers > 0, "workers", "must be > 0", workers);
    positive("leaseTtl", leaseTtl);
    check(leaseTtl.toMillis() >= 300, "leaseTtl", "must be >= 300 ms", leaseTtl);
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    check(!retryBackoff.isNegative(), "retryBackoff", "must be >= 0", retryBackoff);
    positive("commandTimeout", commandTimeout);
    check(fallbackCapacity > 0, "fallbackCapacity", "must be > 0", fallbackCapacity);
  }

  /** The defaults listed on the record. */
  public static QueueSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change a few. */
  public Builder toBuilder() {
    return new Builder()
        .streamPrefix(streamPrefix)
        .partitions(partitions)
        .group(group)
        .consumerName(consumerName)
        .maxLength(maxLength)
        .claimTimeout(claimTimeout)
        .maxDeliveries(maxDeliveries)
        .blockTimeout(blockTimeout)
        .batchSize(batchSize)
        .workers(workers)
        .leaseTtl(leaseTtl)
        .retryBackoff(retryBackoff)
        .commandTimeout(commandTimeout)
        .fallbackCapacity(fallbackCapacity);
  }

  private static void positive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    check(!value.isNegative() && !value.isZero(), field, "must be > 0", value);
  }

  private static void check(boolean ok, String field, String rule, Object value) {
    if (!ok) {
      throw new IllegalArgumentException(field + " " + rule + ", was " + value);
    }
  }

  /** Collects settings; each starts at its default, {@link #build()} validates them all. */
  public static final class Builder {
    private String streamPrefix = "queue:";
    private int partitions = 16;
    private String group = "tgsupport";
    private String consumerName = "";
    private long maxLength = 100_000;
    private Duration claimTimeout = Duration.ofSeconds(30);
    private int maxDeliveries = 5;
    private Duration blockTimeout = Duration.ofSeconds(1);
    private int batchSize = 100;
    private int workers = 4;
    private Duration leaseTtl = Duration.ofSeconds(10);
    private Duration retryBackoff = Duration.ofSeconds(1);
    private Duration commandTimeout = Duration.ofSeconds(2);
    private int fallbackCapacity = 10_000;

    private Builder() {}

    public Builder streamPrefix(String streamPrefix) {
      this.streamPrefix = streamPrefix;
      return this;
    }

    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public Builder group(String group) {
      this.group = group;
      return this;
    }

    public Builder consumerName(String consumerName) {
      this.consumerName = consumerName;
      return this;
    }

    public Builder maxLength(long maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    public Builder claimTimeout(Duration claimTimeout) {
      this.claimTimeout = claimTimeout;
      return this;
    }

    public Builder maxDeliveries(int maxDeliveries) {
      this.maxDeliveries = maxDeliveries;
      return this;
    }

    public Builder blockTimeout(Duration blockTimeout) {
      this.blockTimeout = blockTimeout;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder leaseTtl(Duration leaseTtl) {
      this.leaseTtl = leaseTtl;
      return this;
    }

    public Builder retryBackoff(Duration retryBackoff) {
      this.retryBackoff = retryBackoff;
      return this;
    }

    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
      return this;
    }

    public Builder fallbackCapacity(int fallbackCapacity) {
      this.fallbackCapacity = fallbackCapacity;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException naming the first field out of range, e.g. {@code "partitions must be in
     *     1..1024, was 0"}
     */
    public QueueSettings build() {
      return new QueueSettings(streamPrefix, partitions, group, consumerName, maxLength, claimTimeout, maxDeliveries,
          blockTimeout, batchSize, workers, leaseTtl, retryBackoff, commandTimeout, fallbackCapacity);
    }
  }
}
