package dev.fusebox.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dashboard's request handling, apart from any web server: a request in ({@link DashboardRequest}), a
 * response out ({@link DashboardResponse}). {@link Dashboard} runs it on the JDK's built-in HTTP server;
 * another web stack (the Spring Boot starter, a servlet, a Netty pipeline) mounts it by converting its own
 * request and response, which is the whole of the contract:
 *
 * <pre>{@code
 * DashboardHandler handler = Dashboard.builder(registry).basePath("/ops/fusebox").token(token).buildHandler();
 * // for each request under /ops/fusebox, on a thread that may block for a stream's life:
 * DashboardResponse response = handler.handle(new DashboardRequest(method, rawPath, headers, body));
 * // send response.status(), response.headers(), then response.writeBody(out)
 * // on shutdown:
 * handler.close();
 * }</pre>
 *
 * <p>The handler is given the full request path and answers only under its {@linkplain
 * Dashboard.Builder#basePath base path} (404 elsewhere). The page uses relative addresses, so it works at
 * any base path and behind a proxy that keeps the path. A handler samples its breakers on a daemon thread of
 * its own from construction until {@link #close()}.
 *
 * <h2>Routes</h2>
 * Under the base path: {@code GET /} (the page) and its three files; {@code GET /api/snapshot},
 * {@code GET /api/stream} (server-sent events), {@code GET /api/{kind}/{name}}, and
 * {@code POST /api/{kind}/{name}/{action}}: for {@code circuitbreaker}, {@code action} is one of
 * {@code force-open}, {@code disable}, {@code close}, {@code reset}, {@code deploy-mode} (for an optional
 * {@code {"durationMillis": 600000}}, 10 minutes when absent; this instance only) and
 * {@code end-deploy-mode}; for {@code chaos}, one of
 * {@code outage}, {@code slowdown}, {@code healthy}, {@code set}, {@code enable}, {@code disable}, with
 * parameters in a flat JSON body ({@code {"faultRate": 0.5}}). Other kinds ({@code retry},
 * {@code bulkhead}, {@code adaptivebulkhead}, {@code ratelimiter}, {@code timelimiter}, {@code status})
 * are read only. The documents are described in {@code docs/dashboard.md}.
 *
 * <h2>Who may do what</h2>
 * Actions always need the token in the {@code X-Fusebox-Token} header; reads of the data need it unless
 * the handler was built {@linkplain Dashboard.Builder#publicReadOnly(boolean) public read-only} or, for the
 * standalone server only, bound to a loopback address. The page's files never need it. A missing token is
 * answered 401, a wrong one 403. See {@link Dashboard} for the whole model.
 *
 * <p>This class is threadsafe.
 */
public final class DashboardHandler implements AutoCloseable {

  private static final int MAX_PATH = 2048;
  private static final int MAX_BODY = 1024;
  private static final int VERSION = 1;

  private final Settings settings;
  private final Access access;
  private final StaticResources statics = new StaticResources();
  private final List<Panel> panels;
  private final StreamHub hub;
  private final ScheduledExecutorService sampler;
  private final ReentrantLock sampling = new ReentrantLock();
  private long tick;
  private volatile long lastTick;

  DashboardHandler(Settings settings) {
    this.settings = settings;
    this.access = new Access(settings.token(), settings.readNeedsToken(), settings.allowedHosts());
    List<Panel> all = new ArrayList<>();
    if (settings.breakers() != null) {
      all.add(
          new CircuitBreakerPanel(
              settings.breakers(), settings.eventHistory(), settings.historySize(), settings.eventsPerBreaker(),
              settings.fleet()));
    }
    if (!settings.statusCards().isEmpty()) {
      all.add(new StatusPanel(settings.statusCards()));
    }
    settings.panels().forEach(panel -> all.add(panel.apply(settings.historySize(), settings.eventsPerBreaker())));
    this.panels = List.copyOf(all);
    this.hub = new StreamHub(settings.maxStreams(), settings.keepAlive().toNanos());
    if (settings.sampling()) {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              task -> {
                Thread thread = new Thread(task, "fusebox-dashboard-sampler");
                thread.setDaemon(true);
                return thread;
              });
      executor.setRemoveOnCancelPolicy(true);
      long interval = settings.samplingInterval().toNanos();
      executor.scheduleAtFixedRate(this::sampleSafely, 0, interval, TimeUnit.NANOSECONDS);
      this.sampler = executor;
    } else {
      this.sampler = null;
    }
  }

  /**
   * Returns the token that actions (and, when configured so, reads) need.
   *
   * @return the token, configured or random
   */
  public String token() {
    return settings.token();
  }

  /**
   * Returns the base path: empty, or a path that starts with a slash and does not end with one.
   *
   * @return the base path, such as {@code /fusebox}, or the empty string for the root
   */
  public String basePath() {
    return settings.basePath();
  }

  /**
   * Answers one request. Never throws for anything a client sends: bad requests get a 4xx response. May
   * be called from any number of threads at once.
    *
    * @param request the request, whatever web stack received it
    * @return the response to send; a stream's body is written by {@link DashboardResponse#writeBody}
   */
  public DashboardResponse handle(DashboardRequest request) {
    String path = request.rawPath();
    if (path.length() > MAX_PATH) {
      return Responses.error(414, "path too long");
    }
    if (!access.hostAllowed(request)) {
      return Responses.error(403, "this dashboard answers only to localhost, 127.0.0.1 and [::1]");
    }
    String base = settings.basePath();
    if (!base.isEmpty() && path.equals(base)) {
      // Relative, so that it holds behind a proxy that adds a prefix.
      return Responses.redirect(base.substring(base.lastIndexOf('/') + 1) + "/");
    }
    if (!path.startsWith(base + "/")) {
      return Responses.error(404, "not found");
    }
    String rest = path.substring(base.length());
    StaticResources.Resource file = statics.find(rest);
    if (file != null) {
      if (!request.method().equals("GET")) {
        return Responses.methodNotAllowed("GET");
      }
      Map<String, String> headers = Responses.pageHeaders();
      headers.put("Content-Type", file.contentType());
      headers.put("Cache-Control", "no-cache");
      return DashboardResponse.of(200, headers, file.bytes());
    }
    if (rest.startsWith("/api/")) {
      return api(request, rest.substring("/api/".length()).split("/", -1));
    }
    return Responses.error(404, "not found");
  }

  private DashboardResponse api(DashboardRequest request, String[] raw) {
    String[] segments = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      segments[i] = decode(raw[i]);
      if (segments[i] == null) {
        return Responses.error(400, "the path is not valid percent-encoded UTF-8");
      }
    }
    if (segments.length == 3) {
      return control(request, segments[0], segments[1], segments[2]);
    }
    if (!request.method().equals("GET")) {
      return Responses.methodNotAllowed("GET");
    }
    DashboardResponse denied = readDenied(request);
    if (segments.length == 1 && segments[0].equals("snapshot")) {
      return denied != null ? denied : Responses.json(200, snapshot(true, access.check(request) == Access.Check.VALID));
    }
    if (segments.length == 1 && segments[0].equals("stream")) {
      return denied != null ? denied : stream();
    }
    if (segments.length == 2) {
      if (denied != null) {
        return denied;
      }
      Panel panel = panel(segments[0]);
      JsonWriter json = new JsonWriter();
      if (panel == null || !panel.writeInstance(segments[1], json, true)) {
        return Responses.error(404, "no " + segments[0] + " named " + segments[1]);
      }
      return Responses.json(200, json.toString());
    }
    return Responses.error(404, "not found");
  }

  private DashboardResponse control(DashboardRequest request, String kind, String name, String action) {
    if (!request.method().equals("POST")) {
      return Responses.methodNotAllowed("POST");
    }
    // A form or a plain-text body is what a page of another site can post without asking first: refuse it.
    String contentType = request.header("Content-Type").orElse("");
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.isEmpty() && !mediaType.equals("application/json")) {
      return Responses.error(415, "actions take no body or application/json, not " + mediaType);
    }
    if (Access.crossSite(request)) {
      return Responses.error(403, "actions cannot come from another site");
    }
    DashboardResponse denied = tokenDenied(request);
    if (denied != null) {
      return denied;
    }
    byte[] body = bodyWithinLimit(request);
    if (body == null) {
      return Responses.error(413, "an action's body is limited to " + MAX_BODY + " bytes");
    }
    Panel panel = panel(kind);
    if (panel == null) {
      return Responses.error(404, "no kind " + kind);
    }
    Panel.Outcome outcome;
    try {
      ControlInput input =
          body.length == 0 ? ControlInput.NONE : new ControlInput(JsonReader.parseFlatObject(utf8(body)));
      outcome = panel.control(name, action, input);
    } catch (IllegalArgumentException e) {
      // Our own messages: they name the member, its value and the allowed range, never anything secret.
      return Responses.error(400, e.getMessage());
    }
    switch (outcome) {
      case NO_SUCH_ACTION:
        return Responses.error(400, panel.actions().isEmpty()
            ? "no action " + action + "; " + kind + " has no actions"
            : "no action " + action + "; one of " + String.join(", ", panel.actions()));
      case NO_SUCH_INSTANCE:
        return Responses.error(404, "no " + kind + " named " + name);
      default:
        JsonWriter json = new JsonWriter();
        // The instance may have been removed in the meantime; then its name is all there is to tell.
        if (!panel.writeInstance(name, json, false)) {
          return Responses.error(404, "no " + kind + " named " + name);
        }
        return Responses.json(200, json.toString());
    }
  }

  private DashboardResponse stream() {
    StreamHub.Stream stream = hub.open();
    if (stream == null) {
      return Responses.error(503, "too many open streams");
    }
    Map<String, String> headers = Responses.apiHeaders();
    headers.put("Content-Type", "text/event-stream; charset=utf-8");
    // Tells proxies that buffer responses (nginx does by default) to pass each event on at once.
    headers.put("X-Accel-Buffering", "no");
    return DashboardResponse.stream(headers, stream::run);
  }

  /** Samples every panel once and sends the new events and a snapshot to the open streams. */
  void sampleNow() {
    sampling.lock();
    try {
      long t = ++tick;
      long now = settings.ticker().nanos();
      for (Panel panel : panels) {
        panel.sample(t, now);
      }
      lastTick = t;
      JsonWriter events = new JsonWriter().beginObject().field("tick", t).name("events").beginArray();
      int count = 0;
      for (Panel panel : panels) {
        count += panel.writeNewEvents(events);
      }
      if (count > 0) {
        hub.publish("event: events\ndata: " + events.endArray().endObject() + "\n\n");
      }
      hub.publishSnapshot("event: snapshot\nid: " + t + "\ndata: " + snapshot(false, null) + "\n\n");
    } finally {
      sampling.unlock();
    }
  }

  private void sampleSafely() {
    try {
      sampleNow();
    } catch (RuntimeException | Error e) {
      // A failing tick must not cancel the schedule: the next one may well succeed.
      System.getLogger(DashboardHandler.class.getName())
          .log(System.Logger.Level.WARNING, "dashboard sampling failed", e);
    }
  }

  /** Returns the tick of the latest sample. */
  long lastTick() {
    return lastTick;
  }

  /** Returns the panels, in the order of the documents; for tests. */
  List<Panel> panelsForTest() {
    return panels;
  }

  /** Returns the number of open event streams. */
  int openStreams() {
    return hub.openStreams();
  }

  /**
   * Stops sampling, ends every open event stream (their {@link DashboardResponse#writeBody} calls return)
   * and stops following the registry. Idempotent.
   */
  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    hub.close();
    panels.forEach(Panel::close);
  }

  private String snapshot(boolean withHistory, Boolean control) {
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .field("version", VERSION)
            .field("tick", lastTick)
            .field("time", Instant.now().toString())
            .field("samplingIntervalMillis", settings.samplingInterval().toMillis())
            .field("historySize", settings.historySize());
    if (control != null) {
      json.name("access").beginObject().field("control", control).endObject();
    }
    json.name("sections").beginArray();
    for (Panel panel : panels) {
      json.beginObject().field("kind", panel.kind()).field("title", panel.title()).name("actions").beginArray();
      panel.actions().forEach(json::value);
      json.endArray();
      panel.writeDescription(json);
      json.name("instances");
      panel.writeInstances(json, withHistory);
      json.endObject();
    }
    return json.endArray().endObject().toString();
  }

  private Panel panel(String kind) {
    for (Panel panel : panels) {
      if (panel.kind().equals(kind)) {
        return panel;
      }
    }
    return null;
  }

  private DashboardResponse readDenied(DashboardRequest request) {
    return access.readNeedsToken() ? tokenDenied(request) : null;
  }

  private DashboardResponse tokenDenied(DashboardRequest request) {
    switch (access.check(request)) {
      case MISSING:
        Map<String, String> headers = Responses.apiHeaders();
        headers.put("WWW-Authenticate", "Fusebox-Token");
        return Responses.json(401, Responses.errorBody("this needs the dashboard's token in the " + Access.TOKEN_HEADER + " header"), headers);
      case WRONG:
        return Responses.error(403, "wrong token");
      default:
        return null;
    }
  }

  /** Returns the body, or null if it is (or says it is) larger than the limit. */
  private static byte[] bodyWithinLimit(DashboardRequest request) {
    String length = request.header("Content-Length").orElse("0").trim();
    try {
      if (Long.parseLong(length) > MAX_BODY) {
        return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
    try (InputStream in = request.body()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      return bytes.length <= MAX_BODY ? bytes : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Decodes a body strictly: a body that is not UTF-8 is a bad request, not a guess. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the body is not valid UTF-8");
    }
  }

  /** Decodes one percent-encoded path segment strictly; null if it is not valid UTF-8 percent-encoding. */
  static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) {
          return null;
        }
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return null; // a raw path is ASCII
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
