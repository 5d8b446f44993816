package dev.fusebox.http;

import java.net.http.HttpResponse;
import java.util.concurrent.Flow;

/**
 * Lets go of the body of a response that the caller will never see (one that is retried, or arrives after
 * the caller cancelled), so that its connection and buffers are released.
 *
 * <p>UnseenBodies that a handler has already read ({@code ofString}, {@code ofByteArray}, {@code ofFile},
 * {@code discarding}) hold nothing. Those read later hold the connection: an {@link AutoCloseable} body
 * ({@code ofInputStream}, {@code ofLines}, a caller's own closeable type) is closed, and a
 * {@link Flow.Publisher} body ({@code ofPublisher}) is subscribed to and cancelled. Doing it twice is
 * harmless.
 */
final class UnseenBodies {

  private UnseenBodies() {}

  /** Discards the body of {@code value} if it is a response; anything else is left alone. */
  static void discard(Object value) {
    if (!(value instanceof HttpResponse<?> response)) {
      return;
    }
    Object body = response.body();
    try {
      if (body instanceof AutoCloseable closeable) {
        closeable.close();
      } else if (body instanceof Flow.Publisher<?> publisher) {
        @SuppressWarnings("unchecked")
        Flow.Publisher<Object> bytes = (Flow.Publisher<Object>) publisher;
        bytes.subscribe(Cancelling.INSTANCE);
      }
    } catch (Exception e) {
      // A body that cannot be closed is broken already; nobody is left to tell.
    }
  }

  /** Cancels every subscription it is given, and ignores whatever follows. */
  private enum Cancelling implements Flow.Subscriber<Object> {
    INSTANCE;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(Object item) {}

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
