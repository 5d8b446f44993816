package dev.fusebox.http;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.testing.ManualTicker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** What the HTTP tests share: one real JDK client, breaker settings on a hand-driven ticker, polling. */
final class Fixtures {

  /** The JDK client every test wraps; one for all, since a Java 17 client cannot be closed. */
  static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Fixtures() {}

  /** A breaker that decides on the last {@code calls} calls, at a failure rate of 50%, on {@code ticker}. */
  static CircuitBreakerConfig window(int calls, ManualTicker ticker) {
    return CircuitBreakerConfig.builder()
        .countBasedWindow(calls)
        .minimumNumberOfCalls(calls)
        .waitDurationInOpenState(Duration.ofSeconds(60))
        .permittedNumberOfCallsInHalfOpenState(1)
        .ticker(ticker)
        .build();
  }

  static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
  }

  static HttpRequest post(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString("{\"order\": 1}")).build();
  }

  static long failures(CircuitBreaker breaker) {
    return breaker.metrics().totalFailedCalls();
  }

  static long successes(CircuitBreaker breaker) {
    return breaker.metrics().totalSuccessfulCalls();
  }

  /** Waits until the condition holds, failing after 10 seconds; polls every millisecond. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Waits (10 s at most) for a future to finish, however it finishes. */
  static void awaitDone(Future<?> future) {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not finish within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | CancellationException e) {
      // Done, exceptionally: the test looks at how.
    }
  }
}
