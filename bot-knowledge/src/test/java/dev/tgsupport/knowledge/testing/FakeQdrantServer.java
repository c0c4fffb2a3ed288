package dev.tgsupport.knowledge.testing;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Qdrant server for tests that speaks Qdrant's real gRPC API (the services generated into the official client
 * jar), in-process or on a loopback TCP port, so the adapter under test runs the official client unchanged.
 *
 * <p>It implements the collections service (create, get, list, delete, exists), the points service (upsert,
 * delete by ids or filter, get, search, scroll, count, create field index) and the health check, searching exactly with
 * cosine (or dot) scores, payload filters ({@code must}, {@code must_not}, {@code should} over keyword, integer,
 * boolean matches), score thresholds, offsets and limits. A write sent without {@code wait=true} is only acknowledged
 * and becomes visible a little later, as with a busy Qdrant. It fails the way Qdrant does: {@code NOT_FOUND} for a
 * missing collection, {@code INVALID_ARGUMENT} for a vector of the wrong size, {@code ALREADY_EXISTS} for a
 * collection created twice, and, when built with an API key, {@code UNAUTHENTICATED} for a call whose
 * {@code api-key} header is missing or wrong.
 *
 * <p>Faults on demand: {@link #failNext} (e.g. {@code UNAVAILABLE}), {@link #delayNext} (past the client's deadline),
 * {@link #stop()} and {@link #restart()} (the data survive, as Qdrant's storage does). {@link #calls} counts calls
 * per method, rejected ones included.
 *
 * <pre>{@code
 * try (FakeQdrantServer qdrant = FakeQdrantServer.startInProcess()) {
 *   ManagedChannel channel = qdrant.newChannel();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Users of bot-knowledge's test-jar need {@code io.grpc:grpc-inprocess} on their test classpath.
 */
public final class FakeQdrantServer implements AutoCloseable {
  private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

  private final boolean tcp;
  private final String name;
  private final String apiKey;
  private final ConcurrentMap<String, FakeQdrantCollection> collections = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> daemon(r, "fake-qdrant"));
  private final ScheduledExecutorService background =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fake-qdrant-writes"));
  // Guarded by this.
  private int failuresLeft;
  private Status failure = Status.UNAVAILABLE;
  private int delaysLeft;
  private Duration delay = Duration.ZERO;
  private Server server;
  private int port;

  private FakeQdrantServer(boolean tcp, String apiKey) {
    this.tcp = tcp;
    this.apiKey = apiKey;
    this.name = "fake-qdrant-" + UUID.randomUUID();
  }

  /** A started in-process server accepting every call. */
  public static FakeQdrantServer startInProcess() {
    return startInProcess(null);
  }

  /** A started in-process server that refuses calls without {@code apiKey} in their {@code api-key} header. */
  public static FakeQdrantServer startInProcess(String apiKey) {
    FakeQdrantServer s = new FakeQdrantServer(false, apiKey);
    s.start();
    return s;
  }

  /** A started server on a free loopback TCP port (plaintext gRPC), reachable from other processes. */
  public static FakeQdrantServer startOnLoopback() {
    return startOnLoopback(null);
  }

  /** As {@link #startOnLoopback()}, requiring {@code apiKey}. */
  public static FakeQdrantServer startOnLoopback(String apiKey) {
    FakeQdrantServer s = new FakeQdrantServer(true, apiKey);
    s.start();
    return s;
  }

  /** A new channel to this server; closed with the server, or earlier by the caller. */
  public ManagedChannel newChannel() {
    ManagedChannel channel = tcp
        ? NettyChannelBuilder.forAddress(InetAddress.getLoopbackAddress().getHostAddress(), port).usePlaintext()
            .build()
        : InProcessChannelBuilder.forName(name).build();
    channels.add(channel);
    return channel;
  }

  /** {@code http://127.0.0.1:<port>}, for a server started on loopback. */
  public String url() {
    if (!tcp) {
      throw new IllegalStateException("an in-process server has no URL; use newChannel()");
    }
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
  }

  /** The TCP port of a server started on loopback. */
  public int port() {
    if (!tcp) {
      throw new IllegalStateException("an in-process server has no port; use newChannel()");
    }
    return port;
  }

  /** The next {@code count} calls fail with {@code code} (for example {@code UNAVAILABLE}) before doing anything. */
  public synchronized void failNext(int count, Status.Code code) {
    this.failuresLeft = count;
    this.failure = code.toStatus().withDescription("injected by FakeQdrantServer");
  }

  /** The next {@code count} calls wait {@code delay} before running; past the client's deadline, they time out. */
  public synchronized void delayNext(int count, Duration delay) {
    this.delaysLeft = count;
    this.delay = delay;
  }

  /** Stops serving at once; calls fail as with a Qdrant that is down. The data are kept for {@link #restart()}. */
  public synchronized void stop() {
    if (server != null) {
      server.shutdownNow();
      awaitTermination(server);
      server = null;
    }
  }

  /**
   * Serves again, on the same name or port, with the data it had. The channels handed out by {@link #newChannel()}
   * reconnect at once instead of waiting out gRPC's reconnect backoff; other clients reconnect on their own schedule.
   */
  public synchronized void restart() {
    stop();
    start();
    channels.forEach(ManagedChannel::resetConnectBackoff);
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** The calls received for {@code method}, e.g. {@code "Points/Upsert"}, {@code "Collections/Create"}. */
  public int calls(String method) {
    AtomicInteger n = calls.get(method);
    return n == null ? 0 : n.get();
  }

  /** All calls received, per method. */
  public Map<String, Integer> calls() {
    Map<String, Integer> out = new TreeMap<>();
    calls.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public void resetCalls() {
    calls.clear();
  }

  /** The names of the collections. */
  public Set<String> collections() {
    return new TreeSet<>(collections.keySet());
  }

  /** Deletes a collection behind the clients' backs, as another process or an operator would. */
  public boolean dropCollection(String collection) {
    return collections.remove(collection) != null;
  }

  /** The payload indexes of a collection: field name to type. */
  public Map<String, PayloadSchemaType> payloadIndexes(String collection) {
    return existing(collection).indexes();
  }

  /** The number of points of a collection. */
  public long pointCount(String collection) {
    return existing(collection).count(null);
  }

  /** The stored payload of point {@code id}, if there is one. */
  public Optional<Map<String, Value>> payload(String collection, long id) {
    return Optional.ofNullable(existing(collection).payload(PointIdFactory.id(id)));
  }

  /** Stops the server and closes the channels it handed out. */
  @Override
  public void close() {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    stop();
    executor.shutdownNow();
    background.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public String toString() {
    return "FakeQdrantServer[" + (tcp ? url() : name) + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
  }

  private FakeQdrantCollection existing(String collection) {
    FakeQdrantCollection c = collections.get(collection);
    if (c == null) {
      throw new IllegalArgumentException("no collection " + collection + "; have " + collections());
    }
    return c;
  }

  private synchronized void start() {
    FakeQdrantServices services = new FakeQdrantServices(collections, background);
    ServerBuilder<?> builder;
    if (tcp) {
      builder = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } else {
      builder = InProcessServerBuilder.forName(name);
    }
    Interceptor interceptor = new Interceptor();
    builder.executor(executor)
        .addService(ServerInterceptors.intercept(services.new Collections(), interceptor))
        .addService(ServerInterceptors.intercept(services.new Points(), interceptor))
        .addService(ServerInterceptors.intercept(new FakeQdrantServices.Health(), interceptor));
    try {
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("fake qdrant could not start", e);
    }
    if (tcp) {
      port = server.getPort();
    }
  }

  private static void awaitTermination(Server s) {
    try {
      s.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized Status takeFailure() {
    if (failuresLeft > 0) {
      failuresLeft--;
      return failure;
    }
    return null;
  }

  private synchronized Duration takeDelay() {
    if (delaysLeft > 0) {
      delaysLeft--;
      return delay;
    }
    return Duration.ZERO;
  }

  /** Counts, authenticates, then injects faults, in the order a client would observe them. */
  private final class Interceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String method = call.getMethodDescriptor().getFullMethodName().replaceFirst("^qdrant\\.", "");
      calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
      if (apiKey != null) {
        String given = headers.get(API_KEY);
        if (given == null) {
          return refuse(call, Status.UNAUTHENTICATED.withDescription(
              "Must provide an API key or an Authorization bearer token"));
        }
        if (!given.equals(apiKey)) {
          return refuse(call, Status.UNAUTHENTICATED.withDescription("Invalid API key or JWT"));
        }
      }
      Status injected = takeFailure();
      if (injected != null) {
        return refuse(call, injected);
      }
      Duration wait = takeDelay();
      if (!wait.isZero()) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return refuse(call, Status.UNAVAILABLE.withDescription("fake qdrant shutting down"));
        }
      }
      return next.startCall(call, headers);
    }

    private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
      call.close(status, new Metadata());
      return new ServerCall.Listener<>() {};
    }
  }
}
