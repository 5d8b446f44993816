package dev.fusebox.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fusebox.chaos.Chaos;
import dev.fusebox.chaos.InjectedFaultException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * The simulated dependency: a price service on the JDK's HTTP server, on a free loopback port, whose
 * misbehaviour a {@link Chaos} policy decides, so that the dashboard's chaos controls drive it.
 *
 * <p>{@code GET /price?sku=42} answers {@code 42 1234} (the product and its price) in well under a
 * millisecond, unless the chaos policy says otherwise, request by request:
 * <ul>
 *   <li><b>latency</b>: the answer comes that much later (a slow-down);
 *   <li><b>a fault</b>: the request is never answered: the upstream holds it for {@code hangFor} and then
 *       drops it with a 503, as a dependency that is down behind a load balancer does. Callers wait for
 *       their own timeout. A full outage is every request faulted;
 *   <li><b>an error result</b>: an immediate HTTP 500.
 * </ul>
 *
 * <p>A held request holds a thread of the upstream (virtual on Java 21 and later), as it would in the real
 * service. Threadsafe; {@link #close()} drops every held request.
 */
final class Upstream implements AutoCloseable {

  /** An answer: a status and a body. Also what the chaos policy injects as an error result. */
  record Reply(int status, String body) {
    static final Reply SERVER_ERROR = new Reply(500, "injected error");
  }

  private final Chaos chaos;
  private final Duration hangFor;
  private final HttpServer server;
  private final ExecutorService executor;

  Upstream(Chaos chaos, Duration hangFor) {
    this.chaos = chaos;
    this.hangFor = hangFor;
    this.executor = Threads.perTask("upstream");
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot start the simulated upstream", e);
    }
    server.setExecutor(executor);
    server.createContext("/price", this::handle);
    server.start();
  }

  /** Returns the base address, such as {@code http://127.0.0.1:41234}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Chaos chaos() {
    return chaos;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String sku = sku(exchange.getRequestURI().getRawQuery());
      Reply reply;
      try {
        reply = chaos.executeCallable(() -> new Reply(200, sku + " " + price(sku)));
      } catch (InjectedFaultException e) {
        // Down: nothing comes back until the caller gives up (or we do).
        try {
          Thread.sleep(hangFor.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        reply = new Reply(503, "no answer");
      } catch (Exception e) {
        reply = new Reply(500, e.getClass().getSimpleName());
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(reply.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      // The caller gave up first: what a held request usually ends with.
    }
  }

  static String sku(String query) {
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("sku=") && pair.length() > 4 && pair.length() <= 24) {
          return pair.substring(4).replaceAll("[^A-Za-z0-9-]", "");
        }
      }
    }
    return "1";
  }

  /** A made-up but stable price in cents. */
  static long price(String sku) {
    return 500 + Math.floorMod(sku.hashCode() * 7919L, 9500);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
