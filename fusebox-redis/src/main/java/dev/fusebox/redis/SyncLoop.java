package dev.fusebox.redis;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.spi.BreakerCoordinator;
import dev.fusebox.circuitbreaker.spi.SharedBreakerControl;
import dev.fusebox.circuitbreaker.spi.TrialGate;
import io.lettuce.core.RedisNoScriptException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The sync thread of one {@link RedisSharedState}: every period it flushes all shared breakers in one
 * pipelined round trip and applies the replies; in between it applies state-change messages.
 *
 * <p>Design note. One platform thread owns everything here except the breaker map (written by the
 * registries' creating threads) and the task queue. Redis is only called asynchronously from this thread;
 * completions and messages arrive on Lettuce's threads and come back as tasks, so the thread never blocks
 * on Redis and needs no lock: other threads only add to a {@link ConcurrentLinkedQueue} or set a flag,
 * then unpark it. At most one flush is in flight; a flush asked for meanwhile runs right after it. Redis
 * sits behind a small circuit breaker of its own (two failed round trips in a row open it, then it backs
 * off, one attempt at a time): while that breaker is not closed the instance is
 * {@link RedisSharedState.Mode#DEGRADED} and applies the degraded policy, and every attempt to reconnect
 * goes through it, so a dead Redis costs one cheap attempt per backoff step.
 */
final class SyncLoop implements BreakerCoordinator, SharedBreaker.Host {

  private static final System.Logger LOG = System.getLogger("dev.fusebox.redis");
  /** How many flushes that can wait go in one round trip. */
  static final int BACKLOG_PER_ROUND_TRIP = 100;

  private final SharedStateOptions settings;
  private final RedisStore store;
  private final CircuitBreaker storeBreaker;
  private final ConcurrentHashMap<String, SharedBreaker> breakers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** Breakers detached from their registries, closed by the sync thread (or by close() once it stopped). */
  private final ConcurrentLinkedQueue<SharedBreaker> leaving = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushRequested = new AtomicBoolean();
  private final EventListeners listeners = new EventListeners();
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closing;
  private volatile RedisSharedState.Mode mode;
  private final AtomicLong attachments = new AtomicLong();
  /** The live members in SHARED mode, sorted, as the last heartbeat listed them. */
  private volatile List<String> liveMembers = List.of();

  final LongAdder flushes = new LongAdder();
  final LongAdder failedFlushes = new LongAdder();
  final LongAdder scripts = new LongAdder();
  final LongAdder messages = new LongAdder();
  final LongAdder modeChanges = new LongAdder();
  final LongAdder mismatches = new LongAdder();
  volatile long lastRoundTripNanos;

  // Sync thread only.
  private long nextTick;
  private long extraTickAt = Long.MAX_VALUE;
  private boolean inFlight;
  private boolean again;
  private String lastFailure = "";
  private final java.util.Set<String> reportedTwins = new java.util.HashSet<>();
  private final String[] heartbeatKeys;
  private final List<String> heartbeatHead;
  /** The fleet's overrides as this instance knows them. */
  final OverrideBook overrides = new OverrideBook();
  /** When the current stretch of contact with Redis began, and when a round trip last succeeded. */
  private long contactSince;
  private long lastContact;

  SyncLoop(SharedStateOptions settings, RedisStore store, boolean connected) {
    this.settings = settings;
    this.store = store;
    CircuitBreakerConfig.Builder storeConfig =
        CircuitBreakerConfig.builder()
            .countBasedWindow(10)
            .consecutiveFailureThreshold(2)
            .slowCallDetection(false)
            .waitDurationInOpenState(settings.syncInterval())
            .openStateJitter(0.2)
            // Hysteresis: two good rounds in a row before SHARED again (one failure of the two reopens).
            .permittedNumberOfCallsInHalfOpenState(2)
            .ticker(settings.ticker());
    if (settings.storeBackoffMax().compareTo(settings.syncInterval()) > 0) {
      storeConfig.openStateBackoff(2.0, settings.storeBackoffMax());
    }
    this.storeBreaker = CircuitBreaker.of("redis:" + settings.instanceId(), storeConfig.build());
    if (!connected) {
      storeBreaker.transitionToOpenState();
    }
    this.mode = connected ? RedisSharedState.Mode.SHARED : RedisSharedState.Mode.DEGRADED;
    this.contactSince = settings.ticker().nanos();
    this.lastContact = contactSince;
    this.heartbeatKeys =
        new String[] {FlushScript.membersKey(settings.keyPrefix()), FleetScript.overridesKey(settings.keyPrefix())};
    this.heartbeatHead =
        List.of(settings.instanceId(), settings.run(), Long.toString(settings.keyTtl().toMillis()),
            Long.toString(FleetConfig.ceilMillis(settings.syncInterval().multipliedBy(2))));
    this.thread = new Thread(this::run, "fusebox-redis-sync-" + settings.instanceId());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  RedisSharedState.Mode mode() {
    return mode;
  }

  CircuitBreaker storeBreaker() {
    return storeBreaker;
  }

  int breakerCount() {
    return breakers.size();
  }

  SharedBreaker find(String name) {
    return breakers.get(name);
  }

  Subscription onEvent(Consumer<? super RedisSharedStateEvent> listener) {
    return listeners.subscribe(listener);
  }

  // ---------------------------------------------------------------------------------------------------
  // BreakerCoordinator: called by registries on their callers' threads

  @Override
  public TrialGate attach(SharedBreakerControl control) {
    if (closing) {
      throw new IllegalStateException("RedisSharedState '" + settings.instanceId() + "' is closed");
    }
    SharedBreaker shared = new SharedBreaker(control, settings, this, attachments.incrementAndGet());
    if (breakers.putIfAbsent(shared.name(), shared) != null) {
      shared.close();
      throw new IllegalStateException(
          "A breaker named '" + shared.name() + "' is already shared by another registry of RedisSharedState '"
              + settings.instanceId() + "': one name, one breaker per instance");
    }
    // Before the registry hands the breaker out: an override in force holds it from its first call.
    FleetScript.Entry held = overrides.active(shared.name(), settings.ticker().nanos());
    if (held != null) {
      shared.override(held, held);
    }
    if (mode == RedisSharedState.Mode.DEGRADED) {
      if (settings.degradedPolicy() == DegradedPolicy.FAIL_CLOSED) {
        // Before the registry hands the breaker out: not one call may slip through.
        shared.gate.mode(LeaseGate.DENY);
        control.holdOpen(settings.failClosedHold());
      }
      execute(() -> shared.degraded(settings.degradedPolicy()));
    }
    requestFlush();
    return shared.gate;
  }

  @Override
  public void detach(SharedBreakerControl control) {
    SharedBreaker shared = breakers.get(control.breaker().name());
    if (shared != null && shared.control == control) {
      breakers.remove(shared.name(), shared);
      // On the sync thread, after any reply being applied: a reply applied after the close would set the
      // gate back to leases that no flush asks for any more, and the breaker would deny its trials for good.
      leaving.add(shared);
      LockSupport.unpark(thread);
      LOG.log(Level.DEBUG, "Breaker ''{0}'' left its registry: it runs as a local breaker now", shared.name());
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Host: sync thread

  @Override
  public void requestFlush() {
    flushRequested.set(true);
    LockSupport.unpark(thread);
  }

  @Override
  public void flushAt(long nanos) {
    if (nanos - extraTickAt < 0) {
      extraTickAt = nanos;
    }
  }

  @Override
  public void publish(RedisSharedStateEvent event) {
    if (event instanceof RedisSharedStateEvent.ConfigurationMismatch) {
      mismatches.increment();
    }
    listeners.publish(event);
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    LockSupport.unpark(thread);
  }

  /**
   * A state-change message, on a Lettuce thread: "state epoch remainingMs name", or "fleet epoch" when an
   * override changed, which the next heartbeat reads.
   */
  void onMessage(String message) {
    messages.increment();
    execute(() -> applyMessage(message));
  }

  private void applyMessage(String message) {
    if (mode != RedisSharedState.Mode.SHARED) {
      return;
    }
    if (message.startsWith("fleet ")) {
      try {
        if (Long.parseLong(message.substring(6)) > overrides.epoch()) {
          requestFlush();
        }
      } catch (NumberFormatException e) {
        LOG.log(Level.DEBUG, "Ignoring a malformed override message: {0}", message);
      }
      return;
    }
    String[] parts = message.split(" ", 4);
    if (parts.length < 4) {
      return;
    }
    SharedBreaker shared = breakers.get(parts[3]);
    if (shared != null) {
      try {
        shared.onMessage(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
      } catch (NumberFormatException e) {
        LOG.log(Level.DEBUG, "Ignoring a malformed state-change message: {0}", message);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The loop

  private void run() {
    try {
      // A random phase, so that instances started together do not flush in step. Breakers flush at once
      // when attached anyway.
      nextTick = settings.ticker().nanos() + ThreadLocalRandom.current().nextLong(settings.syncNanos());
      while (!closing) {
        Runnable task;
        while ((task = tasks.poll()) != null) {
          runSafely(task);
        }
        closeLeaving();
        long now = settings.ticker().nanos();
        boolean periodic = now - nextTick >= 0;
        boolean extra = now - extraTickAt >= 0;
        if (flushRequested.getAndSet(false) | periodic | extra) {
          if (periodic) {
            nextTick = now + settings.syncNanos();
          }
          if (extra) {
            extraTickAt = Long.MAX_VALUE;
          }
          runSafely(this::tick);
        }
        long wake = Math.min(nextTick - now, extraTickAt == Long.MAX_VALUE ? Long.MAX_VALUE : extraTickAt - now);
        if (tasks.isEmpty() && !flushRequested.get() && wake > 0) {
          LockSupport.parkNanos(this, wake);
        }
      }
      finalFlush();
    } finally {
      stopped.countDown();
    }
  }

  private void closeLeaving() {
    SharedBreaker shared;
    while ((shared = leaving.poll()) != null) {
      shared.close();
    }
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "fusebox-redis sync task failed", e);
    }
  }

  private void tick() {
    applyOverrides();
    if (mode == RedisSharedState.Mode.DEGRADED) {
      // Every period, even while a reconnection attempt is still pending: FAIL_CLOSED renews its holds here.
      for (SharedBreaker shared : breakers.values()) {
        shared.degraded(settings.degradedPolicy());
      }
    }
    if (inFlight) {
      again = true;
      return;
    }
    // A permit of its own: its outcome reaches only the stay that admitted this round, never a later one.
    CircuitBreaker.Permit permit = storeBreaker.tryAcquirePermit();
    if (permit == null) {
      updateMode(null);
      return;
    }
    long start = settings.ticker().nanos();
    if (!store.connected()) {
      inFlight = true;
      store.connect().whenComplete((v, error) -> execute(() -> connected(permit, start, error)));
      return;
    }
    // Only breakers with something to say; the heartbeat goes every period regardless. Flushes that can
    // wait (first ones, retries, refreshes) go at most BACKLOG_PER_ROUND_TRIP at a time, the next ones
    // right after the reply, so that Redis paces them instead of timing out on a burst.
    List<SharedBreaker> batch = new ArrayList<>();
    long refresh = refreshNanos();
    int backlog = BACKLOG_PER_ROUND_TRIP;
    for (SharedBreaker shared : breakers.values()) {
      int due = shared.due(start, refresh);
      if (due == SharedBreaker.URGENT || (due == SharedBreaker.BACKLOG && backlog-- > 0)) {
        batch.add(shared);
      }
    }
    if (backlog < 0) {
      again = true;
    }
    List<String[]> keys = new ArrayList<>(batch.size() + 1);
    List<String[]> args = new ArrayList<>(batch.size() + 1);
    keys.add(heartbeatKeys);
    args.add(heartbeatArgs());
    for (SharedBreaker shared : batch) {
      keys.add(shared.keys);
      args.add(shared.args(shared.request()));
    }
    inFlight = true;
    store.flush(keys, args).whenComplete((replies, error) -> execute(() -> flushed(permit, batch, start, replies, error)));
  }

  /** {@code permit} is null after a script reload, whose round already reported its outcome. */
  private void connected(CircuitBreaker.Permit permit, long start, Throwable error) {
    inFlight = false;
    long took = settings.ticker().nanos() - start;
    if (error != null) {
      store.drop();
      storeFailed(permit, took, RedisStore.unwrap(error));
      updateMode(RedisStore.unwrap(error));
    } else {
      // Not a trial: a Redis that accepts connections and then times out every flush must keep growing the
      // backoff, so only flush rounds close the store breaker.
      if (permit != null) {
        permit.release();
      }
      flushRequested.set(true);
    }
    runAgain();
  }

  private void flushed(
      CircuitBreaker.Permit permit, List<SharedBreaker> batch, long start, List<Object> replies, Throwable error) {
    inFlight = false;
    long took = settings.ticker().nanos() - start;
    Throwable failure = error == null ? null : RedisStore.unwrap(error);
    boolean scriptLost = false;
    if (replies != null) {
      // The breakers' replies first, the heartbeat's last: whoever sees the script count grow sees their
      // effects (events, states) already.
      for (int n = 1; n <= batch.size() + 1; n++) {
        int i = n % (batch.size() + 1);
        Object reply = replies.get(i);
        if (reply instanceof RedisNoScriptException) {
          scriptLost = true;
        } else if (reply instanceof Throwable t) {
          failure = explain(t);
        } else {
          try {
            if (i == 0) {
              heartbeat(FleetScript.Heartbeat.parse(reply));
            } else {
              batch.get(i - 1).apply(FlushScript.Reply.parse(reply));
            }
            scripts.increment();
          } catch (RuntimeException e) {
            failure = e;
          }
        }
      }
    }
    if (failure != null) {
      failedFlushes.increment();
      storeFailed(permit, took, failure);
      if (storeBreaker.state() != CircuitBreaker.State.CLOSED) {
        store.drop();
      }
    } else {
      flushes.increment();
      lastRoundTripNanos = took;
      lastContact = settings.ticker().nanos();
      permit.onSuccess(took);
    }
    if (scriptLost && failure == null) {
      // Redis restarted or flushed its script cache: load the script and flush again at once.
      inFlight = true;
      store.reloadScript().whenComplete((v, e) -> execute(() -> connected(null, start, e)));
    }
    updateMode(failure);
    runAgain();
  }

  /**
   * A failed round trip; while the store breaker is half-open, one failure ends the stay at once, rather
   * than after its second trial, so that each backoff step costs one attempt.
   */
  private void storeFailed(CircuitBreaker.Permit permit, long took, Throwable failure) {
    if (permit != null) {
      permit.onError(took, failure);
    } else {
      storeBreaker.onError(took, failure);
    }
    if (storeBreaker.state() == CircuitBreaker.State.HALF_OPEN) {
      storeBreaker.transitionToOpenState();
    }
  }

  /**
   * An idle breaker flushes at least this often: every 300 periods (150 s at the default 500 ms), at most
   * a quarter of the key TTL, so its record and the keys outlive any pause in its traffic and a lost
   * message is made up for. 10 instances with 1,000 idle breakers each then send about 87 scripts per
   * second, heartbeats included.
   */
  private long refreshNanos() {
    return Math.min(settings.keyTtl().toNanos() / 4, settings.syncNanos() * 300);
  }

  @Override
  public boolean probesFor(String breaker) {
    List<String> live = liveMembers;
    String self = settings.instanceId();
    if (mode != RedisSharedState.Mode.SHARED || live.isEmpty() || !live.contains(self)) {
      return true;
    }
    return live.get(Math.floorMod(breaker.hashCode(), live.size())).equals(self);
  }

  @Override
  public boolean inContactSince(long nanos) {
    return mode == RedisSharedState.Mode.SHARED
        && nanos - contactSince >= 0
        && settings.ticker().nanos() - lastContact <= settings.staleNanos();
  }

  private String[] heartbeatArgs() {
    List<String> args = new ArrayList<>(heartbeatHead);
    args.add(mode.name());
    args.addAll(overrides.heartbeatTail(settings.channel()));
    return args.toArray(String[]::new);
  }

  private void heartbeat(FleetScript.Heartbeat h) {
    if (h.members() != null) {
      liveMembers = h.members();
    }
    if (overrides.heartbeat(h, settings.ticker().nanos())) {
      applyOverrides();
    }
    String twin = h.twin();
    if (twin.isEmpty() || !reportedTwins.add(twin)) {
      return;
    }
    LOG.log(Level.WARNING,
        "Another process uses instance id ''{0}'' (run {1}, ours {2}): both count, but give each process an id"
            + " of its own (or leave instanceId unset for a unique default)",
        settings.instanceId(), twin, settings.run());
    publish(new RedisSharedStateEvent.DuplicateInstanceId(settings.instanceId(), Instant.now(), twin));
  }

  /**
   * Holds every breaker in the override in force on it, and lets go of those whose override was released or
   * ended: on every heartbeat that brought a change, and on every tick, so that an override ends on time by
   * Redis's clock however long Redis is out of reach.
   */
  private void applyOverrides() {
    if (overrides.isEmpty()) {
      return;
    }
    long now = settings.ticker().nanos();
    for (SharedBreaker shared : breakers.values()) {
      FleetScript.Entry active = overrides.active(shared.name(), now);
      if (active != null || shared.held() != null) {
        shared.override(active, overrides.latest(shared.name()));
      }
    }
  }

  /**
   * Runs the fleet administration script on the sync thread, where every command is dispatched; the
   * future completes on Lettuce's thread with the script's reply.
   */
  CompletableFuture<List<?>> fleetCommand(String[] keys, String... args) {
    CompletableFuture<List<?>> result = new CompletableFuture<>();
    if (closing) {
      result.completeExceptionally(new IllegalStateException("RedisSharedState '" + settings.instanceId() + "' is closed"));
      return result;
    }
    execute(() -> {
      if (!store.connected()) {
        result.completeExceptionally(new IllegalStateException(
            "Redis cannot be used" + (lastFailure.isEmpty() ? "" : ": " + lastFailure)));
        return;
      }
      store.fleet(keys, args).whenComplete((reply, error) -> {
        if (error != null) {
          result.completeExceptionally(RedisStore.unwrap(error));
        } else if (reply instanceof List<?> list) {
          result.complete(list);
        } else {
          result.completeExceptionally(new IllegalStateException("unexpected reply from the fleet script: " + reply));
        }
      });
    });
    return result;
  }

  /** Takes an entry FleetControl wrote, on the sync thread, and waits until its breaker follows it. */
  void adopt(FleetScript.Entry entry, long redisNowMs) {
    onSyncThread(() -> {
      if (overrides.adopt(entry, redisNowMs, settings.ticker().nanos())) {
        applyOverrides();
      }
    });
  }

  /** Takes the overrides read at start-up, as a heartbeat would bring them, and waits until they apply. */
  void adopt(FleetScript.Heartbeat read) {
    onSyncThread(() -> {
      if (overrides.heartbeat(read, settings.ticker().nanos())) {
        applyOverrides();
      }
    });
  }

  private void onSyncThread(Runnable task) {
    CountDownLatch done = new CountDownLatch(1);
    execute(() -> {
      try {
        task.run();
      } finally {
        done.countDown();
      }
    });
    try {
      if (!closing) {
        done.await(settings.commandTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A cluster client follows redirections itself, so a MOVED reply means a standalone connection to a
   * cluster node: a configuration mistake, which the degraded-mode warning should name.
   */
  private static Throwable explain(Throwable t) {
    String message = t.getMessage();
    if (message != null && message.startsWith("MOVED ")) {
      return new IllegalStateException(
          "Redis answered '" + message + "': it is a Redis Cluster; build RedisSharedState with cluster(true)"
              + " (fusebox.redis.cluster=true with Spring Boot)", t);
    }
    return t;
  }

  private void runAgain() {
    if (again && !inFlight) {
      again = false;
      tick();
    }
  }

  private void updateMode(Throwable cause) {
    if (cause != null) {
      lastFailure = String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName());
    }
    RedisSharedState.Mode next =
        storeBreaker.state() == CircuitBreaker.State.CLOSED
            ? RedisSharedState.Mode.SHARED
            : RedisSharedState.Mode.DEGRADED;
    RedisSharedState.Mode previous = mode;
    if (next == previous) {
      return;
    }
    modeChanges.increment();
    String reason;
    if (next == RedisSharedState.Mode.DEGRADED) {
      reason = "Redis cannot be used: " + lastFailure;
      LOG.log(Level.WARNING, "Shared breakers of ''{0}'' run locally ({1} policy): {2}",
          settings.instanceId(), settings.degradedPolicy(), reason);
      store.drop();
      // The policy is in force before anyone can see the mode.
      for (SharedBreaker shared : breakers.values()) {
        shared.degraded(settings.degradedPolicy());
      }
    } else {
      reason = "Redis answers again";
      // Messages sent meanwhile are lost: every breaker asks once.
      contactSince = settings.ticker().nanos();
      for (SharedBreaker shared : breakers.values()) {
        shared.resync();
      }
      LOG.log(Level.INFO, "Shared breakers of ''{0}'' share state through Redis again", settings.instanceId());
    }
    mode = next;
    if (!listeners.isEmpty()) {
      publish(new RedisSharedStateEvent.ModeChanged(settings.instanceId(), Instant.now(), previous, next, reason));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Closing

  /** Stops the loop after one last flush (bounded by the command timeout), so unused leases go back. */
  void close() {
    closing = true;
    LockSupport.unpark(thread);
    try {
      long bound = settings.commandTimeout().plus(Duration.ofSeconds(1)).toMillis();
      if (!stopped.await(bound, TimeUnit.MILLISECONDS)) {
        thread.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Breakers detached after the thread's last round are out of the map: they are closed here.
    closeLeaving();
    int count = breakers.size();
    breakers.values().forEach(SharedBreaker::close);
    breakers.clear();
    if (count > 0) {
      LOG.log(Level.INFO, "RedisSharedState ''{0}'' closed: its {1} shared breakers run as local breakers now",
          settings.instanceId(), count);
    }
  }

  private void finalFlush() {
    if (inFlight || mode != RedisSharedState.Mode.SHARED || breakers.isEmpty() || !store.connected()) {
      return;
    }
    List<SharedBreaker> batch = new ArrayList<>(breakers.values());
    List<String[]> keys = new ArrayList<>(batch.size());
    List<String[]> args = new ArrayList<>(batch.size());
    for (SharedBreaker shared : batch) {
      keys.add(shared.keys);
      args.add(shared.args(shared.request()));
    }
    try {
      store.flush(keys, args).get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.log(Level.DEBUG, "The last flush before closing failed: {0}", e.toString());
    }
  }
}
