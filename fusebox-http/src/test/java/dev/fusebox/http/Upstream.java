package dev.fusebox.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on the loopback interface, standing for the dependency a client calls: it answers
 * each request with the next scripted {@link Reply}, or the standing one, and records what it received.
 */
final class Upstream implements AutoCloseable {

  /** One scripted answer; a reply with a latch holds the exchange until the latch opens (10 s at most). */
  record Reply(int status, Map<String, String> headers, String body, CountDownLatch hold) {
    static Reply status(int status) {
      return new Reply(status, Map.of(), "status " + status, null);
    }

    static Reply status(int status, String header, String value) {
      return new Reply(status, Map.of(header, value), "status " + status, null);
    }

    Reply after(CountDownLatch latch) {
      return new Reply(status, headers, body, latch);
    }
  }

  /** What the server received. */
  record Received(String method, String path, Headers headers) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "upstream");
    thread.setDaemon(true);
    return thread;
  });
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Reply standing = Reply.status(200);

  private Upstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static Upstream start() {
    try {
      return new Upstream();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A loopback port nothing listens on: connecting to it is refused. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Answers the next requests with these replies, in order, then with the standing reply again. */
  Upstream then(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** Answers every request not scripted with this reply. */
  Upstream always(Reply reply) {
    standing = reply;
    return this;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  int requests() {
    return received.size();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.readAllBytes();
      received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders()));
      Reply reply = script.poll();
      if (reply == null) {
        reply = standing;
      }
      if (reply.hold() != null && !reply.hold().await(10, TimeUnit.SECONDS)) {
        return;
      }
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      boolean head = "HEAD".equals(exchange.getRequestMethod()) || reply.status() == 204 || reply.status() == 304;
      exchange.sendResponseHeaders(reply.status(), head || body.length == 0 ? -1 : body.length);
      if (!head && body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
