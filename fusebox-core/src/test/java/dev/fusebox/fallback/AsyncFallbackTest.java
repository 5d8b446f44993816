package dev.fusebox.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusebox.testing.ManualTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class AsyncFallbackTest {

  private final ManualTicker ticker = new ManualTicker();

  private static Throwable failureOf(CompletionStage<?> stage) {
    Throwable thrown = catchThrowable(() -> stage.toCompletableFuture().join());
    assertThat(thrown).isInstanceOf(CompletionException.class);
    return thrown.getCause();
  }

  @Test
  void answersAFailedStageWithTheFallbackValueWhenItFails() {
    Fallback<String> fallback = Fallback.of("async", FallbackConfig.<String>builder().fallbackValue("fallback").build());
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = fallback.executeCompletionStage(() -> call);
    assertThat(stage.toCompletableFuture()).isNotDone();
    call.completeExceptionally(new IllegalStateException("down"));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("fallback");
  }

  @Test
  void servesTheLastKnownGoodValueAsynchronouslyAndSaysItIsStale() {
    Fallback<String> fallback = Fallback.of("async", FallbackConfig.<String>builder().ticker(ticker).build());
    fallback.executeCompletionStage("k", () -> CompletableFuture.completedFuture("v1"));
    ticker.advance(Duration.ofSeconds(3));
    CompletionStage<FallbackResult<String>> stage = fallback.executeCompletionStageForResult("k",
        () -> CompletableFuture.failedFuture(new IllegalStateException("down")));
    FallbackResult<String> result = stage.toCompletableFuture().join();
    assertThat(result.value()).isEqualTo("v1");
    assertThat(result.isStale()).isTrue();
    assertThat(result.age()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void anUnhandledFailureFailsTheStageWithTheSameException() {
    Fallback<String> fallback = Fallback.of("async", FallbackConfig.<String>builder()
        .fallbackExceptions(IllegalStateException.class).fallbackValue("fallback").build());
    IllegalArgumentException bug = new IllegalArgumentException("bug");
    assertThat(failureOf(fallback.executeCompletionStage(() -> CompletableFuture.failedFuture(bug)))).isSameAs(bug);
  }

  @Test
  void aCacheMissWithoutAlternativeFailsTheStageWithTheCallsFailure() {
    Fallback<String> fallback = Fallback.ofDefaults("async");
    IllegalStateException down = new IllegalStateException("down");
    assertThat(failureOf(fallback.executeCompletionStage(() -> CompletableFuture.failedFuture(down)))).isSameAs(down);
  }

  @Test
  void aSupplierThatThrowsOrReturnsNullIsAFailedCall() {
    Fallback<String> fallback = Fallback.of("async", FallbackConfig.<String>builder().fallbackFunction(
        cause -> cause.getClass().getSimpleName()).build());
    assertThat(fallback.executeCompletionStage(() -> {
      throw new IllegalStateException();
    }).toCompletableFuture()).isCompletedWithValue("IllegalStateException");
    assertThat(fallback.executeCompletionStage(() -> null).toCompletableFuture())
        .isCompletedWithValue("NullPointerException");
  }

  @Test
  void aThrowingAlternativeFailsTheStageWithTheOriginalSuppressed() {
    IllegalStateException alternativeFailure = new IllegalStateException("replica down");
    Fallback<String> fallback = Fallback.of("async", FallbackConfig.<String>builder().fallbackSupplier(() -> {
      throw alternativeFailure;
    }).build());
    IllegalStateException original = new IllegalStateException("primary down");
    Throwable failure = failureOf(fallback.executeCompletionStage(() -> CompletableFuture.failedFuture(original)));
    assertThat(failure).isSameAs(alternativeFailure);
    assertThat(failure.getSuppressed()).containsExactly(original);
  }

  @Test
  void replacesARejectedResultAsynchronously() {
    Fallback<Integer> fallback = Fallback.of("async", FallbackConfig.<Integer>builder()
        .fallbackOnResult(status -> status == 503).fallbackValue(200).build());
    assertThat(fallback.decorateCompletionStage(() -> CompletableFuture.completedFuture(503)).get()
        .toCompletableFuture()).isCompletedWithValue(200);
  }

  @Test
  void cancellingTheResultCancelsTheCall() {
    Fallback<String> fallback = Fallback.of("async", FallbackConfig.<String>builder().fallbackValue("x").build());
    CompletableFuture<String> call = new CompletableFuture<>();
    CompletionStage<String> stage = fallback.executeCompletionStage(() -> call);
    stage.toCompletableFuture().cancel(true);
    assertThat(call).isCancelled();
    assertThat(stage.toCompletableFuture()).isCancelled();
    assertThat(fallback.metrics().numberOfFallbackCalls()).isZero();
  }
}
