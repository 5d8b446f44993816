package dev.fusebox.http;

import static dev.fusebox.http.Fixtures.JDK;
import static dev.fusebox.http.Fixtures.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualSleeper;
import dev.fusebox.testing.ManualTicker;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A response the caller never sees has its body let go; the one the caller gets is left open. */
class BodyLeakTest {

  private final ManualTicker ticker = new ManualTicker();
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(Fixtures.window(100, ticker));
  private final Upstream upstream = Upstream.start();
  private final URI uri = upstream.uri("/report");
  private final FuseboxHttpClient client = FuseboxHttpClient.builder(JDK)
      .registry(registry)
      .retry(RetryConfig.builder().ticker(ticker).sleeper(new ManualSleeper(ticker)).scheduler(scheduler).build())
      .build();
  private final List<TrackedStream> streams = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    upstream.close();
  }

  /** An input stream that remembers whether it was closed. */
  static final class TrackedStream extends FilterInputStream {
    volatile boolean closed;

    TrackedStream(InputStream in) {
      super(in);
    }

    @Override
    public void close() throws IOException {
      closed = true;
      super.close();
    }
  }

  private BodyHandler<InputStream> trackedStreams() {
    return info -> BodySubscribers.mapping(BodySubscribers.ofInputStream(), in -> {
      TrackedStream tracked = new TrackedStream(in);
      streams.add(tracked);
      return tracked;
    });
  }

  @Test
  void retriedInputStreamBodiesAreClosedAndTheLastIsTheCallers() throws Exception {
    upstream.then(Upstream.Reply.status(503), Upstream.Reply.status(500));

    HttpResponse<InputStream> response = client.send(get(uri), trackedStreams());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(streams).hasSize(3);
    assertThat(streams.subList(0, 2)).allMatch(stream -> stream.closed);
    assertThat(streams.get(2).closed).isFalse();
    try (InputStream body = response.body()) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("status 200");
    }
  }

  @Test
  void theLastFailureResponseIsNotClosedWhenAttemptsRunOut() throws Exception {
    upstream.always(Upstream.Reply.status(503));

    HttpResponse<InputStream> response = client.send(get(uri), trackedStreams());

    assertThat(streams).extracting(stream -> stream.closed).containsExactly(true, true, false);
    try (InputStream body = response.body()) {
      assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("status 503");
    }
  }

  @Test
  void retriedLineStreamsAreClosed() throws Exception {
    upstream.then(Upstream.Reply.status(503));
    AtomicInteger closes = new AtomicInteger();
    BodyHandler<Stream<String>> lines = info -> BodySubscribers.mapping(
        BodySubscribers.ofLines(StandardCharsets.UTF_8), stream -> stream.onClose(closes::incrementAndGet));

    HttpResponse<Stream<String>> response = client.send(get(uri), lines);

    assertThat(closes).hasValue(1);
    try (Stream<String> body = response.body()) {
      assertThat(body).containsExactly("status 200");
    }
  }

  @Test
  void retriedPublisherBodiesAreCancelled() throws Exception {
    upstream.then(Upstream.Reply.status(503));
    AtomicInteger cancels = new AtomicInteger();
    BodyHandler<Flow.Publisher<List<ByteBuffer>>> publishers = info -> BodySubscribers.mapping(
        BodySubscribers.ofPublisher(), publisher -> subscriber -> publisher.subscribe(new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscriber.onSubscribe(new Flow.Subscription() {
              @Override
              public void request(long n) {
                subscription.request(n);
              }

              @Override
              public void cancel() {
                cancels.incrementAndGet();
                subscription.cancel();
              }
            });
          }

          @Override
          public void onNext(List<ByteBuffer> item) {
            subscriber.onNext(item);
          }

          @Override
          public void onError(Throwable throwable) {
            subscriber.onError(throwable);
          }

          @Override
          public void onComplete() {
            subscriber.onComplete();
          }
        }));

    HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = client.send(get(uri), publishers);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(cancels).hasValue(1);
    response.body().subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.cancel();
      }

      @Override
      public void onNext(List<ByteBuffer> item) {}

      @Override
      public void onError(Throwable throwable) {}

      @Override
      public void onComplete() {}
    });
  }

  @Test
  void asyncRetriesCloseTheBodiesTheyDrop() throws Exception {
    upstream.then(Upstream.Reply.status(503));

    CompletableFuture<HttpResponse<InputStream>> future = client.sendAsync(get(uri), trackedStreams());
    Fixtures.awaitTrue("the retry is scheduled", () -> scheduler.pending() == 1);
    scheduler.advance(Duration.ofMillis(500));
    Fixtures.awaitDone(future);

    assertThat(streams).extracting(stream -> stream.closed).containsExactly(true, false);
    future.get().body().close();
  }

  @Test
  void cancellingDuringARetryWaitStopsTheRetriesAndClosesTheDroppedBody() {
    upstream.then(Upstream.Reply.status(503));

    CompletableFuture<HttpResponse<InputStream>> future = client.sendAsync(get(uri), trackedStreams());
    Fixtures.awaitTrue("the retry is scheduled", () -> scheduler.pending() == 1);
    future.cancel(true);
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(future).isCancelled();
    assertThat(scheduler.pending()).isZero();
    assertThat(upstream.requests()).isEqualTo(1);
    assertThat(streams).singleElement().satisfies(stream -> assertThat(stream.closed).isTrue());
  }

  @Test
  void cancellingAnAsyncCallGivesItsHalfOpenPermitBack() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    upstream.then(Upstream.Reply.status(200).after(release));
    CircuitBreaker breaker = client.circuitBreakers(get(uri)).get(0);
    breaker.transitionToHalfOpenState();

    CompletableFuture<HttpResponse<InputStream>> held = client.sendAsync(get(uri), trackedStreams());
    Fixtures.awaitTrue("the request reached the server", () -> upstream.requests() == 1);
    held.cancel(true);
    release.countDown();
    HttpResponse<InputStream> trial = client.send(get(uri), trackedStreams());

    assertThat(held).isCancelled();
    assertThat(trial.statusCode()).isEqualTo(200);
    trial.body().close();
  }
}
