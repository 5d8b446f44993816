package dev.fusebox.circuitbreaker;

import java.util.concurrent.CompletableFuture;

/**
 * A stage failed with one rejection, shared by every asynchronous call that rejection refuses, so that
 * rejecting asynchronously allocates no more than rejecting synchronously.
 *
 * <p>It behaves exactly like {@link CompletableFuture#failedFuture}: dependents and
 * {@link #toCompletableFuture()} see the rejection itself, not a wrapper. Being complete, it ignores
 * {@code complete}, {@code completeExceptionally} and {@code cancel}; the two methods that could still change
 * a completed future, {@link #obtrudeValue} and {@link #obtrudeException}, are refused, which is what makes
 * sharing it safe. Dependent stages are ordinary {@link CompletableFuture}s.
 */
final class RejectedStage extends CompletableFuture<Object> {

  RejectedStage(CallNotPermittedException rejection) {
    super.completeExceptionally(rejection);
  }

  @Override
  public void obtrudeValue(Object value) {
    throw new UnsupportedOperationException("a rejected call's stage is shared and cannot be changed");
  }

  @Override
  public void obtrudeException(Throwable ex) {
    throw new UnsupportedOperationException("a rejected call's stage is shared and cannot be changed");
  }
}
