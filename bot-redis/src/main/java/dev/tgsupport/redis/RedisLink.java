package dev.tgsupport.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared connection of the components and who replaces it. Lettuce's own reconnection is off: it would log a
 * warning per attempt and queue or retry commands behind our back, while a support bot wants each call answered at
 * once (from the fallback when need be). So a lost connection rejects commands immediately, and the probe of
 * {@link RedisSupport} opens a new one; only the probe thread and {@link RedisSupport#ping()} connect.
 */
final class RedisLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisSupport.class);
  private static final RedisConnectionException NOT_CONNECTED =
      new RedisConnectionException("not connected to Redis (the probe reconnects)");

  private final RedisURI uri;
  private final String shownUrl;
  private final ClientResources resources;
  private final RedisClient client;
  private final RedisClient queueClient;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile boolean closed;

  RedisLink(RedisURI uri, String shownUrl, Duration commandTimeout, Duration connectTimeout) {
    this.uri = uri;
    this.shownUrl = shownUrl;
    uri.setTimeout(commandTimeout);
    // Small pools: a bot's Redis traffic is a few thousand small commands a second at most.
    this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(socket)
        .build());
    // The work queue keeps blocking connections of its own, which want lettuce's reconnection and no per-command
    // expiry; it shares the event loops.
    this.queueClient = RedisClient.create(resources, uri);
    queueClient.setOptions(ClientOptions.builder().socketOptions(socket).build());
  }

  RedisURI uri() {
    return uri;
  }

  RedisClient queueClient() {
    return queueClient;
  }

  /** The commands of the current connection; throws at once when there is none, without touching the network. */
  RedisCommands<String, String> sync() {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      throw NOT_CONNECTED;
    }
    return c.sync();
  }

  RedisAsyncCommands<String, String> async() {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      throw NOT_CONNECTED;
    }
    return c.async();
  }

  boolean isOpen() {
    StatefulRedisConnection<String, String> c = connection;
    return c != null && c.isOpen();
  }

  /**
   * Opens a connection unless an open one exists, waiting at most the connect timeout.
   *
   * @throws RuntimeException lettuce's reason when Redis cannot be reached or refused the credentials
   */
  synchronized void connect() {
    if (closed) {
      throw new IllegalStateException("RedisSupport is closed");
    }
    StatefulRedisConnection<String, String> old = connection;
    if (old != null && old.isOpen()) {
      return;
    }
    connection = null;
    if (old != null) {
      old.closeAsync();
    }
    connection = client.connect();
    log.debug("connected to {}", shownUrl);
  }

  /** Drops the connection after it failed a probe, so the next probe opens a fresh one. */
  synchronized void disconnect() {
    StatefulRedisConnection<String, String> old = connection;
    connection = null;
    if (old != null) {
      old.closeAsync();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // The client closes the connection itself; closing it here as well would make lettuce warn.
    connection = null;
    queueClient.shutdown(0, 2, TimeUnit.SECONDS);
    client.shutdown(0, 2, TimeUnit.SECONDS);
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
