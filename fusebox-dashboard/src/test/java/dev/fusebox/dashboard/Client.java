package dev.fusebox.dashboard;

import dev.fusebox.testsupport.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's HTTP client against a running dashboard, with a reader of server-sent events. */
final class Client {

  static final Duration DEADLINE = Duration.ofSeconds(20);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  Client(URI base) {
    this.base = base;
  }

  HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers).GET().build());
  }

  HttpResponse<String> post(String path, String body, String... headers) {
    HttpRequest.BodyPublisher publisher =
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return send(request(path, headers).POST(publisher).build());
  }

  HttpResponse<String> send(String method, String path, String... headers) {
    return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()).build());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(HttpResponse<String> response) {
    return (Map<String, Object>) Json.parse(response.body());
  }

  /** Opens an event stream; its events are read on a thread of their own into a queue. */
  EventStream stream(String path, String... headers) {
    try {
      HttpResponse<InputStream> response =
          http.send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      return new EventStream(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(DEADLINE);
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One server-sent event. */
  record Event(String type, String id, String data) {}

  /** The events of one stream, as they arrive. */
  static final class EventStream implements AutoCloseable {
    final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    EventStream(HttpResponse<InputStream> response) {
      this.response = response;
      this.reader = new Thread(this::read, "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String type = "message";
        String id = null;
        List<String> data = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.isEmpty()) {
            if (!data.isEmpty()) {
              events.add(new Event(type, id, String.join("\n", data)));
            }
            type = "message";
            id = null;
            data.clear();
          } else if (line.startsWith("event:")) {
            type = line.substring(6).trim();
          } else if (line.startsWith("id:")) {
            id = line.substring(3).trim();
          } else if (line.startsWith("data:")) {
            data.add(line.substring(5).trim());
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    /** Returns the next event of that type, skipping others, failing after the deadline. */
    Event next(String type) {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (true) {
        Event event = poll(deadline, type);
        if (event.type().equals(type)) {
          return event;
        }
      }
    }

    /** Returns the next event, failing after the deadline. */
    Event next() {
      return poll(System.nanoTime() + DEADLINE.toNanos(), "any");
    }

    private Event poll(long deadline, String what) {
      try {
        Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (event == null) {
          throw new AssertionError("no " + what + " event within " + DEADLINE);
        }
        return event;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() throws IOException {
      response.body().close();
    }
  }
}
