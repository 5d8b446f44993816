package dev.fusebox.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The small service the demo protects: a shop front asking the upstream for prices, on the JDK's HTTP
 * server, through two routes that differ only in how they call it.
 *
 * <ul>
 *   <li>{@code GET /protected?sku=42} goes through the {@link Policies#pipeline Fusebox pipeline}:
 *       fallback, retry, circuit breaker, time limiter, bulkhead. It always answers 200, with the price
 *       from the upstream, the last known good one marked stale, or a default when none is known; the
 *       {@code X-Source} header says which ({@code upstream}, {@code stale}, {@code fallback}).
 *   <li>{@code GET /unprotected?sku=42} calls the upstream directly with a long timeout
 *       ({@link Options#unprotectedTimeout}), as most code does: 200 with the price, or 502 / 504.
 * </ul>
 *
 * <p>Each route counts the threads inside its upstream call ({@link #blockedThreads}). The server runs every
 * request on a thread of its own, with no cap, so that what an outage does to a route's threads shows.
 * Threadsafe.
 */
final class Service implements AutoCloseable {

  /** The two routes, and their names in tables and headers. */
  enum Route {
    PROTECTED("protected"),
    UNPROTECTED("unprotected");

    final String label;

    Route(String label) {
      this.label = label;
    }
  }

  private final URI upstream;
  private final Duration unprotectedTimeout;
  private final Duration protectedTimeout;
  private final HttpClient protectedClient;
  private final HttpClient unprotectedClient;
  private final Function<String, Quote> protectedCall;
  private final BlockedThreads protectedBlocked = new BlockedThreads();
  private final BlockedThreads unprotectedBlocked = new BlockedThreads();
  private final ExecutorService executor;
  private final HttpServer server;

  Service(URI upstream, Policies policies, Options options) {
    this.upstream = upstream;
    this.unprotectedTimeout = options.unprotectedTimeout;
    // The time limiter ends the wait first; this only frees the connection of an attempt nobody awaits.
    this.protectedTimeout = options.timeLimit.multipliedBy(2);
    this.protectedClient = client();
    this.unprotectedClient = client();
    this.protectedCall = policies.pipeline.decorateFunction(sku -> fetch(protectedClient, protectedBlocked, sku, protectedTimeout));
    this.executor = Threads.perTask("service");
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot start the demo service", e);
    }
    server.setExecutor(executor);
    server.createContext("/protected", exchange -> answer(exchange, Route.PROTECTED));
    server.createContext("/unprotected", exchange -> answer(exchange, Route.UNPROTECTED));
    server.start();
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .executor(Threads.perTask("service-client"))
        .build();
  }

  /** Returns the base address, such as {@code http://127.0.0.1:41235}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  BlockedThreads blockedThreads(Route route) {
    return route == Route.PROTECTED ? protectedBlocked : unprotectedBlocked;
  }

  /** Serves one request of a route: what a controller of a real service would do. */
  private void answer(HttpExchange exchange, Route route) {
    try (exchange) {
      String sku = Upstream.sku(exchange.getRequestURI().getRawQuery());
      int status = 200;
      Quote quote;
      if (route == Route.PROTECTED) {
        try {
          quote = protectedCall.apply(sku);
        } catch (RuntimeException e) {
          // Nothing cached for this product yet: answer with the default rather than an error.
          quote = Quote.unavailable(sku);
        }
      } else {
        try {
          quote = fetch(unprotectedClient, unprotectedBlocked, sku, unprotectedTimeout);
        } catch (UpstreamException e) {
          quote = Quote.unavailable(sku);
          status = e.getCause() instanceof HttpTimeoutException ? 504 : 502;
        }
      }
      byte[] body = quote.toJson().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("X-Source", status == 200 ? quote.source() : "error");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  /** One call to the upstream, counted while it runs. */
  private Quote fetch(HttpClient client, BlockedThreads blocked, String sku, Duration timeout) {
    HttpRequest request =
        HttpRequest.newBuilder(upstream.resolve("/price?sku=" + sku)).timeout(timeout).GET().build();
    blocked.enter();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new UpstreamException("HTTP " + response.statusCode() + " from the upstream");
      }
      return Quote.parseUpstream(response.body());
    } catch (IOException e) {
      throw new UpstreamException("the upstream call failed: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      // The time limiter gave up on this attempt; nobody awaits its result any more.
      Thread.currentThread().interrupt();
      throw new UpstreamException("the upstream call was interrupted", e);
    } finally {
      blocked.exit();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
