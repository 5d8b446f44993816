package dev.fusebox.http;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.http.BreakerOutcomes.Skip;
import dev.fusebox.http.BreakerOutcomes.Thrown;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One attempt of a request through its breakers: classify the outcome, record it in every breaker that
 * admitted the call, lengthen an open wait when the server asked for more with {@code Retry-After}, and
 * hand the caller exactly what the HTTP client produced.
 *
 * <p>Design note. Each breaker records through {@link CircuitBreaker#executeCompletionStage}, for the
 * synchronous {@code send} too (its stage is complete when the supplier returns), because that API
 * reports an outcome to the very state that admitted the call, which the manual API cannot. The
 * classifier's verdict reaches the breaker in the shapes that API understands: a success as a result (an
 * exception counted a success travels as a {@link Thrown} result), a failure as an exception (a failure
 * response as a {@link FailureResponseException}), an ignored outcome as a cancellation ({@link Skip}),
 * for which the breaker gives its permit back and records nothing. The breakers' own exception rules
 * still apply on top, so they should record every exception, as they do by default.
 *
 * <p>Levels nest outermost first: a service breaker that admits runs the instance breaker inside it. A
 * rejection by the inner breaker reaches the outer one as a {@link Skip}, so that it neither counts as a
 * failure nor keeps a half-open permit. Every stage is a {@link CancelRelayingStage}, so a caller's cancellation travels
 * down to the HTTP exchange.
 *
 * <p>The {@code Retry-After} rule reads the breaker's state after the outcome is recorded: if the breaker
 * is open and its next trial comes sooner than the server asked, it is re-opened for the server's wait,
 * capped. The read and the re-opening are two steps: a trial that ran in between would be followed by a
 * re-opening for a wait the server asked for just before, which is still what the server asked.
 */
final class GuardedAttempt {

  private final HttpOutcomeClassifier classifier;
  private final Clock wallClock;
  private final Duration maxOpenWait;

  GuardedAttempt(HttpOutcomeClassifier classifier, Clock wallClock, Duration maxOpenWait) {
    this.classifier = classifier;
    this.wallClock = wallClock;
    this.maxOpenWait = maxOpenWait;
  }

  /**
   * Runs one attempt through {@code breakers}, outermost first.
   *
   * @param call starts the HTTP exchange and returns its stage
   * @return a stage of the response or of the exception the caller gets, a rejection included
   */
  CompletableFuture<Object> attempt(
      CircuitBreaker[] breakers, HttpRequest request, Supplier<? extends CompletionStage<?>> call) {
    Supplier<CompletionStage<Object>> classified = () -> CancelRelayingStage.after(call.get(), (value, error) -> classify(request, value, error));
    CompletionStage<Object> outcome = breakers.length == 0 ? classified.get() : level(breakers, 0, classified);
    return CancelRelayingStage.after(outcome, GuardedAttempt::forCaller);
  }

  private CompletionStage<Object> level(
      CircuitBreaker[] breakers, int index, Supplier<CompletionStage<Object>> classified) {
    CircuitBreaker breaker = breakers[index];
    CompletionStage<Object> recorded =
        breaker.executeCompletionStage(
            index + 1 == breakers.length
                ? classified
                : () -> CancelRelayingStage.after(level(breakers, index + 1, classified), GuardedAttempt::innerRejectionSkips));
    return CancelRelayingStage.after(
        recorded,
        (value, error) -> {
          if (error instanceof FailureResponseException failure && failure.retryAfter().isPresent()) {
            lengthenOpenWait(breaker, failure.retryAfter().get());
          }
          return pass(value, error);
        });
  }

  private Object classify(HttpRequest request, Object value, Throwable error) throws Throwable {
    if (error == null) {
      HttpResponse<?> response = (HttpResponse<?>) value;
      HttpOutcome outcome;
      try {
        outcome = classifier.classifyStatus(response.statusCode());
      } catch (RuntimeException | Error e) {
        UnseenBodies.discard(response);
        throw e;
      }
      switch (outcome) {
        case SUCCESS:
          return response;
        case IGNORED:
          throw new Skip(response);
        default:
          throw new FailureResponseException(
              response.statusCode(), request.method(), request.uri(), retryAfter(response).orElse(null), response);
      }
    }
    switch (classifier.classifyException(error)) {
      case SUCCESS:
        return new Thrown(error);
      case IGNORED:
        throw new Skip(error);
      default:
        throw error;
    }
  }

  /** The server's {@code Retry-After}, read only where it means "not now": on a 429 or a 503. */
  Optional<Duration> retryAfter(HttpResponse<?> response) {
    int status = response.statusCode();
    if (status != 429 && status != 503) {
      return Optional.empty();
    }
    return RetryAfter.from(response.headers(), wallClock.instant());
  }

  private void lengthenOpenWait(CircuitBreaker breaker, Duration asked) {
    Duration wait = asked.compareTo(maxOpenWait) > 0 ? maxOpenWait : asked;
    if (wait.isZero() || breaker.state() != CircuitBreaker.State.OPEN) {
      return;
    }
    Optional<Duration> nextTrialIn = breaker.metrics().nextTrialIn();
    if (nextTrialIn.isPresent() && wait.compareTo(nextTrialIn.get()) > 0) {
      breaker.transitionToOpenStateFor(wait);
    }
  }

  private static Object innerRejectionSkips(Object value, Throwable error) throws Throwable {
    if (error instanceof CallNotPermittedException) {
      throw new Skip(error);
    }
    return pass(value, error);
  }

  private static Object pass(Object value, Throwable error) throws Throwable {
    if (error != null) {
      throw error;
    }
    return value;
  }

  /** Unpacks the signals: the caller gets the response or the exception, as the HTTP client gave them. */
  private static Object forCaller(Object value, Throwable error) throws Throwable {
    if (error == null) {
      if (value instanceof Thrown thrown) {
        throw thrown.error();
      }
      return value;
    }
    if (error instanceof FailureResponseException failure) {
      HttpResponse<?> response = failure.takeResponse();
      if (response != null) {
        return response;
      }
    }
    if (error instanceof Skip skip) {
      if (skip.payload instanceof Throwable cause) {
        throw cause;
      }
      return skip.payload;
    }
    throw error;
  }
}
