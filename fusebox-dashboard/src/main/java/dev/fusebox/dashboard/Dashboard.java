package dev.fusebox.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fusebox.PolicyRegistry;
import dev.fusebox.Ticker;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The live web dashboard of policy registries, served by the JDK's built-in HTTP server. Each registry
 * given to the {@linkplain Builder builder} gets a section with one card per policy. A circuit breaker's card
 * shows its state, rates, a chart of the last minutes' calls and rejections, the countdown to the next
 * trial, the recovery ramp and the latest events, plus buttons to force a breaker open, disable, close or
 * reset it. Retries, bulkheads (the adaptive ones with the limit they learnt), rate limiters, time limiters
 * and chaos policies (with controls that change what they inject at run time) have cards of their own; any
 * other registry, a policy of your own included, gets cards built from its {@link PolicyRegistry#kind()
 * kind}: one figure per measure, counters charted as rates. The application may add
 * {@linkplain StatusCard status cards} of its own, such as a fleet's shared state.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.serve(registry, 8080)) {
 *   System.out.println("Open " + dashboard.urlWithToken());
 *   // ...
 * }
 *
 * Dashboard dashboard = Dashboard.builder()
 *     .registry(circuitBreakerRegistry)
 *     .registry(retryRegistry)
 *     .registry(hedgeRegistry)     // a registry of your own
 *     .port(8080)
 *     .start();
 * }</pre>
 *
 * <h2>Security</h2>
 * <ul>
 *   <li>The server binds to {@code 127.0.0.1} unless told otherwise ({@link Builder#bindAddress}).</li>
 *   <li>Actions need the token in the {@code X-Fusebox-Token} header, compared in constant time: 128 random
 *       bits unless {@linkplain Builder#token configured}. A page of another site can send neither that
 *       header (it would need a CORS preflight, which the dashboard never grants) nor a form or plain-text
 *       body (refused with 415), and browsers that say a request is cross-site are refused outright.</li>
 *   <li>Reading the data (the JSON API and the stream) needs the token too, except in two cases: the
 *       dashboard is {@linkplain Builder#publicReadOnly(boolean) public read-only}, or it is bound to a
 *       loopback address, where only this machine's users reach it. On loopback, requests whose
 *       {@code Host} is not {@code localhost}, {@code 127.0.0.1}, {@code [::1]} or the bound address are
 *       refused, so that a site cannot read the data by DNS rebinding.</li>
 *   <li>The page's files need no token; they hold no data. The page gets the token from the address's
 *       fragment ({@link #urlWithToken()}: {@code #token=...}, which browsers never send to a server or put
 *       in a {@code Referer}), keeps it in the tab's session storage and removes it from the address bar;
 *       a field on the page takes a pasted token too.</li>
 *   <li>The page has a Content-Security-Policy without inline code and refuses to be framed.</li>
 * </ul>
 *
 * <p>The server's threads are virtual threads on Java 21 and later, otherwise a pool of
 * {@link Builder#maxStreams maxStreams} + 4 daemon threads. For mounting the dashboard in another web stack,
 * see {@link DashboardHandler}. This class is threadsafe.
 */
public final class Dashboard implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Dashboard.class.getName());

  private final DashboardHandler handler;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI url;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Dashboard(DashboardHandler handler, HttpServer server, ExecutorService executor, URI url) {
    this.handler = handler;
    this.server = server;
    this.executor = executor;
    this.url = url;
  }

  /**
   * Serves the dashboard of {@code registry} on {@code 127.0.0.1:port} with a random token; port 0 takes
   * any free port. The address, token included, is logged at INFO level.
   *
   * @param registry the policies to show, such as a {@link CircuitBreakerRegistry}
   * @param port the port to listen on, 0 for any free one
   * @return the running dashboard; close it to stop the server
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static Dashboard serve(PolicyRegistry<?, ?, ?> registry, int port) {
    return builder(registry).port(port).start();
  }

  /**
   * Returns a builder for a dashboard, every option at its default; give it at least one
   * {@linkplain Builder#registry registry}.
   *
   * @return a builder with no registry and every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder for a dashboard of {@code registry}, every option at its default; the same as
   * {@code builder().registry(registry)}.
   *
   * @param registry the policies to show, such as a {@link CircuitBreakerRegistry}
   * @return a builder with every option at its default
   */
  public static Builder builder(PolicyRegistry<?, ?, ?> registry) {
    return builder().registry(registry);
  }

  /**
   * Returns the page's address, such as {@code http://127.0.0.1:8080/}, without the token.
   *
   * @return the page's address without the token
   */
  public URI url() {
    return url;
  }

  /**
   * Returns the page's address with the token in its fragment ({@code #token=...}), which gives whoever
   * opens it the controls. Treat it as the secret it holds.
    *
    * @return the page's address with the token in its fragment
   */
  public URI urlWithToken() {
    return URI.create(url + "#token=" + handler.token());
  }

  /**
   * Returns the token that actions need.
   *
   * @return the configured token, or the random one made at start
   */
  public String token() {
    return handler.token();
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port the server is bound to, the free one taken if 0 was asked for
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Returns the request handler the server runs. */
  DashboardHandler handler() {
    return handler;
  }

  /** Ends every event stream, stops sampling and stops the server. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    handler.close();
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "Dashboard[" + url + "]";
  }

  private static void exchange(DashboardHandler handler, HttpExchange exchange) {
    boolean sent = false;
    try {
      String path = exchange.getRequestURI().getRawPath();
      DashboardResponse response =
          handler.handle(
              new DashboardRequest(
                  exchange.getRequestMethod(),
                  path == null ? "" : path,
                  exchange.getRequestHeaders(),
                  exchange.getRequestBody()));
      response.headers().forEach(exchange.getResponseHeaders()::set);
      long length = response.contentLength();
      // The JDK server reads 0 as "chunked, length unknown" and -1 as "no body".
      exchange.sendResponseHeaders(response.status(), response.isStream() ? 0 : length == 0 ? -1 : length);
      sent = true;
      response.writeBody(exchange.getResponseBody());
    } catch (IOException e) {
      // The client went away mid-response.
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "dashboard request failed", e);
      if (!sent) {
        try {
          exchange.sendResponseHeaders(500, -1);
        } catch (IOException | RuntimeException ignored) {
          // Nothing more to tell a client that cannot be written to.
        }
      }
    } finally {
      exchange.close();
    }
  }

  /**
   * Options of a {@link Dashboard} or a {@link DashboardHandler}. Every setter rejects {@code null} at once;
   * {@link #start()} and {@link #buildHandler()} check every range and report all violations together.
   *
   * <table>
   *   <caption>Options and their defaults</caption>
   *   <tr><th>Option</th><th>Default</th></tr>
   *   <tr><td>{@link #bindAddress(String)}</td><td>{@code 127.0.0.1}</td></tr>
   *   <tr><td>{@link #port(int)}</td><td>0: any free port</td></tr>
   *   <tr><td>{@link #token(String)}</td><td>128 random bits, in hexadecimal</td></tr>
   *   <tr><td>{@link #publicReadOnly(boolean)}</td><td>false</td></tr>
   *   <tr><td>{@link #basePath(String)}</td><td>none: the page is at {@code /}</td></tr>
   *   <tr><td>{@link #samplingInterval(Duration)}</td><td>1 second</td></tr>
   *   <tr><td>{@link #historySize(int)}</td><td>300 samples: 5 minutes at the default interval</td></tr>
   *   <tr><td>{@link #eventsPerBreaker(int)}</td><td>10</td></tr>
   *   <tr><td>{@link #maxStreams(int)}</td><td>16</td></tr>
   *   <tr><td>{@link #ticker(Ticker)}</td><td>{@link Ticker#system()}</td></tr>
   *   <tr><td>{@link #eventHistory(EventHistory)}</td><td>the dashboard's own</td></tr>
   *   <tr><td>{@link #retryRegistry}, {@link #bulkheadRegistry}, {@link #adaptiveBulkheadRegistry},
   *       {@link #rateLimiterRegistry}, {@link #timeLimiterRegistry}, {@link #chaosRegistry}</td>
   *       <td>none: no section for that kind</td></tr>
   *   <tr><td>{@link #status(Supplier)}</td><td>none</td></tr>
   * </table>
   *
   * <pre>{@code
   * Dashboard dashboard = Dashboard.builder(registry)
   *     .bindAddress("0.0.0.0")
   *     .port(9090)
   *     .token(System.getenv("FUSEBOX_DASHBOARD_TOKEN"))
   *     .publicReadOnly(true)
   *     .basePath("/fusebox")
   *     .start();
   * }</pre>
   *
   * <p>Not threadsafe; the dashboards it builds are.
   */
  public static final class Builder {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{16,256}");
    private static final Pattern BASE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)*");

    /** The kinds with panels of their own, in the order the page shows them; any other kind comes after. */
    private static final List<String> ORDER =
        List.of("chaos", "retry", "timelimiter", "bulkhead", "adaptivebulkhead", "ratelimiter");

    private CircuitBreakerRegistry breakers;
    private final List<PolicyRegistry<?, ?, ?>> registries = new ArrayList<>();
    private String bindAddress = "127.0.0.1";
    private int port;
    private String token;
    private boolean publicReadOnly;
    /** A RedisSharedState, typed Object so that the builder never needs fusebox-redis unless it is given. */
    private Object sharedState;
    private String basePath = "";
    private Duration samplingInterval = Duration.ofSeconds(1);
    private int historySize = 300;
    private int eventsPerBreaker = 10;
    private int maxStreams = 16;
    private Duration keepAlive = Duration.ofSeconds(15);
    private Ticker ticker = Ticker.system();
    private EventHistory eventHistory;
    private boolean sampling = true;
    private final List<Supplier<StatusCard>> statusCards = new ArrayList<>();

    private Builder() {}

    /**
     * Shows the policies of {@code registry}, a section of cards, present and future. Circuit breakers,
     * retries, bulkheads, adaptive bulkheads, rate limiters, time limiters and chaos policies get their
     * own cards (the chaos ones with controls, behind the token, that change what they inject); any other
     * registry, a policy of your own included, gets cards built from its {@link PolicyRegistry#kind()
     * kind}: one figure per measure, counters charted as rates per second.
     *
     * @param registry the policies to show
     * @return this builder
     * @throws IllegalArgumentException if a registry of the same kind was given before
     */
    public Builder registry(PolicyRegistry<?, ?, ?> registry) {
      return add(registry, "registry");
    }

    private Builder add(PolicyRegistry<?, ?, ?> registry, String option) {
      Objects.requireNonNull(registry, option + " must not be null");
      String kind = registry.kind().id();
      boolean known = breakers != null && kind.equals(breakers.kind().id())
          || registries.stream().anyMatch(r -> r.kind().id().equals(kind));
      if (known) {
        throw new IllegalArgumentException(
            "one registry of each kind: a registry of kind '" + kind + "' was given before " + registry);
      }
      if (registry instanceof CircuitBreakerRegistry circuitBreakers) {
        breakers = circuitBreakers;
      } else {
        registries.add(registry);
      }
      return this;
    }

    /**
     * The address to listen on: a host name or an IP literal. {@code 0.0.0.0} listens on every interface;
     * any address other than a loopback one makes reading the data need the token, unless
     * {@link #publicReadOnly(boolean)}. Only the standalone server uses it.
      *
      * @param address a host name or an IP literal; default {@code 127.0.0.1}
      * @return this builder
     */
    public Builder bindAddress(String address) {
      this.bindAddress = Objects.requireNonNull(address, "bindAddress must not be null");
      return this;
    }

    /**
     * The port to listen on, 0 for any free one. Only the standalone server uses it.
     *
     * @param port the port, 0 to 65535; default 0
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * The token that actions need: 16 to 256 of the characters {@code A-Z a-z 0-9 . _ ~ -} (so that it
     * travels in a header and a URL fragment unchanged). A configured token is not logged.
      *
      * @param token the token; default: a random one made at start
      * @return this builder
     */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token must not be null");
      return this;
    }

    /**
     * Whether anyone who reaches the dashboard may read it without the token; actions still need it. Off by
     * default: then reading needs the token too, unless the standalone server is bound to loopback.
      *
      * @param publicReadOnly true to let anyone read without the token
      * @return this builder
     */
    public Builder publicReadOnly(boolean publicReadOnly) {
      this.publicReadOnly = publicReadOnly;
      return this;
    }

    /**
     * The path under which the dashboard answers, such as {@code /fusebox}: segments of the characters
     * {@code A-Z a-z 0-9 . _ ~ -}, a trailing slash dropped; empty (the default) or {@code /} for the root.
      *
      * @param basePath the path prefix, such as {@code /fusebox}
      * @return this builder
     */
    public Builder basePath(String basePath) {
      Objects.requireNonNull(basePath, "basePath must not be null");
      this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
      return this;
    }

    /**
     * How often the rates are sampled and the open streams updated: 100 ms to 1 minute.
     *
     * @param interval the time between two samples; default 1 second
     * @return this builder
     */
    public Builder samplingInterval(Duration interval) {
      this.samplingInterval = Objects.requireNonNull(interval, "samplingInterval must not be null");
      return this;
    }

    /**
     * How many samples each breaker's chart keeps: 2 to 86,400.
     *
     * @param samples the number of samples kept per breaker
     * @return this builder
     */
    public Builder historySize(int samples) {
      this.historySize = samples;
      return this;
    }

    /**
     * How many of its latest events each breaker shows: 1 to 1,000.
     *
     * @param events the number of latest events kept per breaker
     * @return this builder
     */
    public Builder eventsPerBreaker(int events) {
      this.eventsPerBreaker = events;
      return this;
    }

    /**
     * How many event streams may be open at once (one per open page): 1 to 1,000; more are refused (503).
     *
     * @param streams the largest number of open event streams
     * @return this builder
     */
    public Builder maxStreams(int streams) {
      this.maxStreams = streams;
      return this;
    }

    /**
     * The clock the rates are computed on; tests pass a hand-moved one.
     *
     * @param ticker the clock of the sampling; default the system ticker
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * An event history the application already keeps for the registry, to show its events instead of
     * attaching another; the dashboard does not close it.
      *
      * @param history the application's history of the registry's events
      * @return this builder
     */
    public Builder eventHistory(EventHistory history) {
      this.eventHistory = Objects.requireNonNull(history, "eventHistory must not be null");
      return this;
    }

    /**
     * Shows the retries of {@code registry}: calls, retries and final failures per second.
     *
     * @param registry the retries to show
     * @return this builder
     */
    public Builder retryRegistry(RetryRegistry registry) {
      return add(registry, "retryRegistry");
    }

    /**
     * Shows the semaphore bulkheads of {@code registry}: calls in flight against the limit, rejections.
     *
     * @param registry the bulkheads to show
     * @return this builder
     */
    public Builder bulkheadRegistry(BulkheadRegistry registry) {
      return add(registry, "bulkheadRegistry");
    }

    /**
     * Shows the adaptive bulkheads of {@code registry}, with the limit each has learnt, charted over time.
     *
     * @param registry the adaptive bulkheads to show
     * @return this builder
     */
    public Builder adaptiveBulkheadRegistry(AdaptiveBulkheadRegistry registry) {
      return add(registry, "adaptiveBulkheadRegistry");
    }

    /**
     * Shows the rate limiters of {@code registry}: permits available, acquisitions granted and refused.
     *
     * @param registry the rate limiters to show
     * @return this builder
     */
    public Builder rateLimiterRegistry(RateLimiterRegistry registry) {
      return add(registry, "rateLimiterRegistry");
    }

    /**
     * Shows the time limiters of {@code registry}: the timeout, and calls that ended in time or not.
     *
     * @param registry the time limiters to show
     * @return this builder
     */
    public Builder timeLimiterRegistry(TimeLimiterRegistry registry) {
      return add(registry, "timeLimiterRegistry");
    }

    /**
     * Shows the chaos policies of {@code registry}, with controls (behind the token, like every control)
     * that change their fault rate, error-result rate and added latency, start an outage or a slow-down,
     * or make them healthy again, while the application runs.
      *
      * @param registry the chaos policies to show and control
      * @return this builder
     */
    public Builder chaosRegistry(ChaosRegistry registry) {
      return add(registry, "chaosRegistry");
    }

    /**
     * Adds a status card of the application's own, shown above the policies and as a badge in the header;
     * called for a fresh card whenever the page is read or a sample is sent, so it must be cheap and
     * threadsafe. May be called several times; titles must differ.
      *
      * @param card makes the card's current content
      * @return this builder
     */
    public Builder status(Supplier<StatusCard> card) {
      statusCards.add(Objects.requireNonNull(card, "status must not be null"));
      return this;
    }

    /**
     * Shows the fleet of breakers shared through Redis (fusebox-redis, an optional dependency): per breaker
     * how many instances are in which state and the fleet override in force, and the members with their
     * mode; and asks, for every control, whether it is for this instance or the whole fleet (a fleet action
     * needs a reason). Give the registry of {@code shared} as the breakers.
     *
     * <pre>{@code
     * Dashboard.builder(shared.registry(config)).sharedState(shared).port(8080).start();
     * }</pre>
     *
     * @param shared the shared state the breakers come from
     * @return this builder
     */
    public Builder sharedState(dev.fusebox.redis.RedisSharedState shared) {
      this.sharedState = Objects.requireNonNull(shared, "shared must not be null");
      return this;
    }

    /** Keep-alive period of idle streams; for tests. */
    Builder keepAlive(Duration keepAlive) {
      this.keepAlive = keepAlive;
      return this;
    }

    /** Leaves sampling to {@link DashboardHandler#sampleNow()}; for tests. */
    Builder manualSampling() {
      this.sampling = false;
      return this;
    }

    /**
     * Builds the request handler alone, for mounting in another web stack (see {@link DashboardHandler});
     * {@link #bindAddress} and {@link #port} do not apply, and reading needs the token unless
     * {@link #publicReadOnly(boolean)}. The handler starts sampling at once; close it when done.
     *
      * @return the handler, already sampling
     * @throws IllegalArgumentException listing every invalid option
     */
    public DashboardHandler buildHandler() {
      validate(false);
      return new DashboardHandler(settings(!publicReadOnly, Set.of()));
    }

    /**
     * Starts the server and returns the running dashboard. A random token is logged with the address at
     * INFO level (logger {@code dev.fusebox.dashboard.Dashboard}), since that is how its user learns it.
     *
      * @return the running dashboard; close it to stop the server and the sampling
     * @throws IllegalArgumentException listing every invalid option
     * @throws UncheckedIOException if the address cannot be resolved or bound
     */
    public Dashboard start() {
      validate(true);
      InetAddress address;
      try {
        address = InetAddress.getByName(bindAddress);
      } catch (UnknownHostException e) {
        throw new UncheckedIOException("cannot resolve bindAddress " + bindAddress, e);
      }
      boolean loopback = address.isLoopbackAddress();
      String literal = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
      Set<String> hosts = loopback ? new HashSet<>(List.of("localhost", "127.0.0.1", "[::1]", literal)) : Set.of();
      boolean generated = token == null;
      DashboardHandler handler = new DashboardHandler(settings(!publicReadOnly && !loopback, hosts));
      ExecutorService executor = Threads.serverExecutor(maxStreams + 4);
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(address, port), 64);
      } catch (IOException e) {
        handler.close();
        executor.shutdownNow();
        throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port, e);
      }
      server.setExecutor(executor);
      server.createContext("/", exchange -> exchange(handler, exchange));
      server.start();
      String host = address.isAnyLocalAddress() ? "localhost" : literal;
      URI url = URI.create("http://" + host + ":" + server.getAddress().getPort() + basePath + "/");
      Dashboard dashboard = new Dashboard(handler, server, executor, url);
      LOG.log(
          System.Logger.Level.INFO,
          "Fusebox dashboard at {0}",
          generated ? dashboard.urlWithToken() : dashboard.url());
      return dashboard;
    }

    private Settings settings(boolean readNeedsToken, Set<String> allowedHosts) {
      return new Settings(
          breakers,
          token != null ? token : Access.randomToken(),
          readNeedsToken,
          allowedHosts,
          basePath,
          samplingInterval,
          historySize,
          eventsPerBreaker,
          maxStreams,
          keepAlive,
          ticker,
          eventHistory,
          sampling,
          panels(),
          List.copyOf(statusCards),
          sharedState == null ? null : new FleetView((dev.fusebox.redis.RedisSharedState) sharedState));
    }

    /** The policies' panels after the breakers', in the page's order, whatever order the options came in. */
    private List<BiFunction<Integer, Integer, Panel>> panels() {
      List<PolicyRegistry<?, ?, ?>> ordered = new ArrayList<>(registries);
      // Stable: kinds without a panel of their own keep the order they were given in, after the others.
      ordered.sort(Comparator.comparingInt(r -> {
        int at = ORDER.indexOf(r.kind().id());
        return at < 0 ? ORDER.size() : at;
      }));
      List<BiFunction<Integer, Integer, Panel>> panels = new ArrayList<>();
      ordered.forEach(registry -> panels.add(panelOf(registry)));
      return List.copyOf(panels);
    }

    private static BiFunction<Integer, Integer, Panel> panelOf(PolicyRegistry<?, ?, ?> registry) {
      if (registry instanceof ChaosRegistry chaos) {
        return (history, events) -> new ChaosPanel(chaos, history, events);
      } else if (registry instanceof RetryRegistry retries) {
        return (history, events) -> new RetryPanel(retries, history, events);
      } else if (registry instanceof TimeLimiterRegistry timeLimiters) {
        return (history, events) -> new TimeLimiterPanel(timeLimiters, history, events);
      } else if (registry instanceof BulkheadRegistry bulkheads) {
        return (history, events) -> new BulkheadPanel(bulkheads, history, events);
      } else if (registry instanceof AdaptiveBulkheadRegistry adaptive) {
        return (history, events) -> new AdaptiveBulkheadPanel(adaptive, history, events);
      } else if (registry instanceof RateLimiterRegistry rateLimiters) {
        return (history, events) -> new RateLimiterPanel(rateLimiters, history, events);
      }
      return (history, events) -> new MeasurePanel<>(registry, history, events);
    }

    private void validate(boolean standalone) {
      List<String> problems = new ArrayList<>();
      if (breakers == null && registries.isEmpty()) {
        problems.add("registry: give at least one, such as a CircuitBreakerRegistry");
      }
      if (standalone && (port < 0 || port > 65535)) {
        problems.add("port must be in [0, 65535], was " + port);
      }
      if (token != null && !TOKEN.matcher(token).matches()) {
        // The token itself stays out of the message, which may end up in a log.
        problems.add("token must be 16 to 256 of A-Z a-z 0-9 . _ ~ -, was " + token.length() + " characters");
      }
      if (!BASE_PATH.matcher(basePath).matches() || basePath.contains("/./") || basePath.contains("/../")
          || basePath.endsWith("/.") || basePath.endsWith("/..")) {
        problems.add("basePath must be empty or /segments of A-Z a-z 0-9 . _ ~ -, was " + basePath);
      }
      if (samplingInterval.compareTo(Duration.ofMillis(100)) < 0 || samplingInterval.compareTo(Duration.ofMinutes(1)) > 0) {
        problems.add("samplingInterval must be in [100ms, 1m], was " + samplingInterval);
      }
      if (historySize < 2 || historySize > 86_400) {
        problems.add("historySize must be in [2, 86400], was " + historySize);
      }
      if (eventsPerBreaker < 1 || eventsPerBreaker > 1000) {
        problems.add("eventsPerBreaker must be in [1, 1000], was " + eventsPerBreaker);
      }
      if (maxStreams < 1 || maxStreams > 1000) {
        problems.add("maxStreams must be in [1, 1000], was " + maxStreams);
      }
      if (problems.size() == 1) {
        throw new IllegalArgumentException("Invalid Dashboard: " + problems.get(0));
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "Invalid Dashboard (" + problems.size() + " problems): " + String.join("; ", problems));
      }
    }
  }
}
