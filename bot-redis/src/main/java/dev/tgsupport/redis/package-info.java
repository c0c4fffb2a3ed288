/**
 * Redis for tgsupport, through lettuce: {@link dev.tgsupport.redis.RedisSupport} is the one entry point. It shares
 * rate limits, flood counts, update dedup, caches and dialog states between bot instances, and falls back to
 * in-process state whenever Redis is unreachable. Everything else in this package is implementation.
 *
 * <p>Everything is non-null unless documented otherwise; absent results are {@link java.util.Optional}.
 */
package dev.tgsupport.redis;
