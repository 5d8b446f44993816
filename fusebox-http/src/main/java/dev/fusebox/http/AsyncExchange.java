package dev.fusebox.http;

import dev.fusebox.circuitbreaker.CallNotPermittedException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The future {@link FuseboxHttpClient#sendAsync} returns: it completes with the outcome of the last
 * attempt, and makes sure that no response body is left open when nobody will read it.
 *
 * <p>Design note. A response can be orphaned in two ways: the caller cancels while an attempt's response
 * is on its way (the retry then drops it), or the response arrives just after a cancellation won. Each
 * attempt's response is published in {@link #latest} before this future's cancellation is checked, and a
 * cancellation is published before {@link #latest} is read: with both fields volatile, at least one side
 * sees the other, so the body is discarded at least once (twice is harmless, see {@link UnseenBodies}). A
 * response that reaches {@link #settle} after a cancellation fails to complete this future and is
 * discarded there.
 */
final class AsyncExchange<T> extends CompletableFuture<HttpResponse<T>> {

  private final HttpRequest request;
  private final HttpResponse.BodyHandler<T> handler;
  private final boolean rejectionAsResponse;
  private volatile CompletableFuture<?> upstream;
  private volatile Object latest;

  AsyncExchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, boolean rejectionAsResponse) {
    this.request = request;
    this.handler = handler;
    this.rejectionAsResponse = rejectionAsResponse;
  }

  /** Notes an attempt's stage: its response may be orphaned by a cancellation. */
  CompletableFuture<Object> track(CompletableFuture<Object> attempt) {
    attempt.thenAccept(this::arrived);
    return attempt;
  }

  private void arrived(Object response) {
    latest = response;
    if (isCancelled()) {
      UnseenBodies.discard(response);
    }
  }

  /** Completes this future as {@code stage} does. */
  void follow(CompletionStage<Object> stage) {
    upstream = stage.toCompletableFuture();
    stage.whenComplete(this::settle);
  }

  @SuppressWarnings("unchecked")
  private void settle(Object value, Throwable error) {
    if (error == null) {
      if (!complete((HttpResponse<T>) value)) {
        UnseenBodies.discard(value);
      }
      return;
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof CallNotPermittedException rejection && rejectionAsResponse) {
      RejectionResponse.of(request, handler, rejection).whenComplete((response, failure) -> {
        if (failure != null) {
          completeExceptionally(failure);
        } else {
          complete(response);
        }
      });
      return;
    }
    completeExceptionally(cause);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      CompletableFuture<?> stage = upstream;
      if (stage != null) {
        stage.cancel(mayInterruptIfRunning);
      }
      Object response = latest;
      if (response != null) {
        UnseenBodies.discard(response);
      }
    }
    return cancelled;
  }
}
