package dev.fusebox.demo;

import dev.fusebox.demo.Service.Route;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's clients: requests to both routes at a steady rate, each on a thread of its own (virtual
 * when the JVM has them), whatever the earlier ones are doing. This is an open loop, as real users are:
 * when a route slows down, requests pile up instead of slowing the load, which is exactly what an outage
 * does to a service. Each request's latency, status and source are recorded as the client saw them.
 *
 * <p>Products are drawn from 20, so the protected route's fallback has a last known good price for each
 * within a second of healthy traffic. Threadsafe; {@link #stop} stops firing and waits for the requests in
 * flight.
 */
final class LoadGenerator {

  static final int PRODUCTS = 20;

  private final URI service;
  private final Recorder recorder;
  private final double ratePerRoute;
  private final ScheduledExecutorService ticks;
  private final ExecutorService requests = Threads.perTask("load");
  private final List<HttpClient> clients = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  LoadGenerator(URI service, Recorder recorder, double ratePerRoute) {
    this.service = service;
    this.recorder = recorder;
    this.ratePerRoute = ratePerRoute;
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, Threads.daemons("load-ticks"));
    executor.setRemoveOnCancelPolicy(true);
    this.ticks = executor;
  }

  void start() {
    long period = Math.max(1, Math.round(1e9 / ratePerRoute));
    for (Route route : Route.values()) {
      // One client per route, so that connections piling up on one route never queue the other's.
      HttpClient client =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Threads.perTask("load-client")).build();
      clients.add(client);
      ticks.scheduleAtFixedRate(() -> fire(client, route), 0, period, TimeUnit.NANOSECONDS);
    }
  }

  private void fire(HttpClient client, Route route) {
    int phase = recorder.phase();
    String sku = "sku-" + (1 + ThreadLocalRandom.current().nextInt(PRODUCTS));
    HttpRequest request =
        HttpRequest.newBuilder(service.resolve("/" + route.label + "?sku=" + sku)).timeout(Duration.ofSeconds(60)).build();
    inFlight.incrementAndGet();
    requests.execute(() -> {
      long start = System.nanoTime();
      boolean error;
      boolean fallback = false;
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        error = response.statusCode() != 200;
        String source = response.headers().firstValue("X-Source").orElse("");
        fallback = source.equals(Quote.STALE) || source.equals(Quote.FALLBACK);
      } catch (IOException e) {
        error = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        inFlight.decrementAndGet();
        return;
      }
      long end = System.nanoTime();
      recorder.record(route, phase, end, end - start, error, fallback);
      inFlight.decrementAndGet();
    });
  }

  /** Stops sending; waits up to {@code drain} for the requests in flight to end. */
  void stop(Duration drain) {
    ticks.shutdownNow();
    long deadline = System.nanoTime() + drain.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    requests.shutdownNow();
  }
}
