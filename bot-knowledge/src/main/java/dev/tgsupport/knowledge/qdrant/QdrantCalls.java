package dev.tgsupport.knowledge.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import dev.tgsupport.core.AuthenticationException;
import dev.tgsupport.core.BotException;
import dev.tgsupport.core.ConflictException;
import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.core.NotFoundException;
import dev.tgsupport.core.OperationTimeoutException;
import dev.tgsupport.core.RateLimitedException;
import dev.tgsupport.core.RetriableException;
import dev.tgsupport.core.ServerErrorException;
import dev.tgsupport.core.StorageUnavailableException;
import io.grpc.Status;
import io.qdrant.client.QdrantException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one Qdrant call to completion and maps every failure onto the SDK's exception tree, so no gRPC or client
 * exception leaves the adapter. The API key is scrubbed from every message, whatever the server echoes.
 */
final class QdrantCalls {
  /** Slack over the gRPC deadline before we stop waiting ourselves, should the deadline never fire. */
  private static final Duration GRACE = Duration.ofSeconds(1);

  private final String endpoint;
  private final Duration timeout;
  private final String apiKey;

  QdrantCalls(String endpoint, Duration timeout, String apiKey) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.apiKey = apiKey;
  }

  Duration timeout() {
    return timeout;
  }

  /** The result of the call made by {@code call}; {@code operation} names it in errors, e.g. "upsert into x". */
  <T> T run(String operation, Supplier<ListenableFuture<T>> call) {
    ListenableFuture<T> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      throw map(operation, e);
    }
    try {
      return future.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new RetriableException("qdrant " + operation + " was interrupted", e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new OperationTimeoutException(
          "qdrant " + operation + " at " + endpoint + " took longer than " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw map(operation, e.getCause() == null ? e : e.getCause());
    }
  }

  BotException map(String operation, Throwable failure) {
    if (failure instanceof BotException bot) {
      return bot;
    }
    Status status = Status.fromThrowable(failure);
    String description = scrub(status.getDescription() == null ? "" : status.getDescription());
    String what =
        "qdrant " + operation + " failed: " + status.getCode() + (description.isEmpty() ? "" : " " + description);
    if (failure instanceof QdrantException) {
      return new ServerErrorException("qdrant " + operation + " failed: " + scrub(failure.getMessage()), failure);
    }
    if (failure instanceof IllegalArgumentException) {
      return new InvalidInputException("request", scrub(failure.getMessage()) + " (qdrant " + operation + ")");
    }
    switch (status.getCode()) {
      case UNAVAILABLE:
        return new StorageUnavailableException(
            "qdrant unavailable at " + endpoint + ": " + (description.isEmpty() ? "UNAVAILABLE" : description)
                + " (" + operation + ")",
            failure);
      case DEADLINE_EXCEEDED:
        return new OperationTimeoutException(
            "qdrant " + operation + " at " + endpoint + " exceeded its " + timeout.toMillis() + " ms deadline",
            failure);
      case UNAUTHENTICATED:
      case PERMISSION_DENIED:
        return new AuthenticationException(
            "qdrant at " + endpoint + " refused the API key (" + status.getCode() + ") on " + operation, failure);
      case INVALID_ARGUMENT:
      case OUT_OF_RANGE:
        return new InvalidInputException("request", "refused by qdrant on " + operation + ": " + description);
      case NOT_FOUND:
        return new NotFoundException(what);
      case ALREADY_EXISTS:
      case ABORTED:
      case FAILED_PRECONDITION:
        return new ConflictException(what, failure);
      case RESOURCE_EXHAUSTED:
        return new RateLimitedException(what, Duration.ofSeconds(1), failure);
      case CANCELLED:
        return new OperationTimeoutException(what, failure);
      default:
        return new ServerErrorException(what, failure);
    }
  }

  private String scrub(String message) {
    if (message == null) {
      return "";
    }
    return apiKey == null || apiKey.isEmpty() ? message : message.replace(apiKey, "***");
  }
}
