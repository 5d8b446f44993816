package dev.fusebox.ratelimiter;

import dev.fusebox.internal.EventTime;
import dev.fusebox.Scheduler;
import dev.fusebox.Sleeper;
import dev.fusebox.Subscription;
import dev.fusebox.Ticker;
import dev.fusebox.internal.Listeners;
import dev.fusebox.internal.Reconfigurations;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The rate limiter: the call surface around the current {@link Permits} generation.
 *
 * <p>Design note. A request reads the current generation (one volatile load), reads the ticker, and asks
 * the generation to reserve; the generation's single CAS is the only write that decides anything. If the
 * answer is a wait, the caller sleeps through the {@link Sleeper} outside any lock; the reservation it
 * holds cannot be taken by anyone else, so it needs no re-check on waking. A frozen generation (a limit
 * change in progress or done) answers {@link Permits#FROZEN}, and the caller helps move {@code permits}
 * forward to the successor and retries there. Run-time changes are serialised by {@link #admin}, a lock no
 * request ever takes. Counters are {@link LongAdder}s; events are built only while somebody listens.
 */
final class RateLimiterImpl implements RateLimiter {

  private static final VarHandle PERMITS;
  private static final VarHandle WAITING;
  /** Waits beyond this (73 years) are treated as this, so that no time sum can overflow. */
  private static final long MAX_WAIT_NANOS = Long.MAX_VALUE / 4;
  private static final int GRANTED = 0;
  private static final int REFUSED = 1;
  private static final int INTERRUPTED = 2;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PERMITS = lookup.findVarHandle(RateLimiterImpl.class, "permits", Permits.class);
      WAITING = lookup.findVarHandle(RateLimiterImpl.class, "waiting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Scheduler scheduler;
  private final ReentrantLock admin = new ReentrantLock();
  private final LongAdder permitted = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final Listeners<RateLimiterEvent> events;
  private final RequestNotPermittedException refused;
  private final RequestNotPermittedException interrupted;
  private volatile RateLimiterConfig config;
  private volatile long timeoutNanos;
  private volatile Permits permits;
  private volatile int waiting;

  RateLimiterImpl(String name, RateLimiterConfig config) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
    }
    this.name = name;
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.ticker = config.ticker();
    this.sleeper = config.sleeper();
    this.scheduler = config.scheduler();
    this.timeoutNanos = config.timeoutDuration().toNanos();
    this.permits = Permits.create(config, ticker.nanos());
    this.events = new Listeners<>("rate limiter", name);
    this.refused = new RequestNotPermittedException(name, false);
    this.interrupted = new RequestNotPermittedException(name, true);
  }

  // ---------------------------------------------------------------------------------------------------
  // Call path

  @Override
  public <T> T executeSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    acquirePermission();
    return supplier.get();
  }

  @Override
  public <T> T executeCallable(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    acquirePermission();
    return callable.call();
  }

  @Override
  public void executeRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    acquirePermission();
    runnable.run();
  }

  @Override
  public <T> CompletionStage<T> executeCompletionStage(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    long wait = reserve(1, timeoutNanos);
    if (wait < 0) {
      failed(1);
      return CompletableFuture.failedFuture(refused);
    }
    granted(1, wait);
    DeferredCall<T> call = new DeferredCall<>(supplier);
    if (wait == 0) {
      call.start();
    } else {
      call.scheduled(scheduler.schedule(call::start, wait));
    }
    return call;
  }

  @Override
  public <T, R> Function<T, R> decorateFunction(Function<T, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> {
      acquirePermission();
      return function.apply(argument);
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // Permits

  @Override
  public boolean tryAcquirePermission() {
    return tryAcquirePermission(1);
  }

  @Override
  public boolean tryAcquirePermission(int permits) {
    checkPermits(permits);
    if (reserve(permits, 0) == 0) {
      granted(permits, 0);
      return true;
    }
    failed(permits);
    return false;
  }

  @Override
  public boolean tryAcquirePermission(int permits, Duration timeout) {
    checkPermits(permits);
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
    }
    return acquire(permits, saturatedNanos(timeout)) == GRANTED;
  }

  @Override
  public void acquirePermission() {
    acquirePermission(1);
  }

  @Override
  public void acquirePermission(int permits) {
    checkPermits(permits);
    int outcome = acquire(permits, timeoutNanos);
    if (outcome == REFUSED) {
      throw refused;
    }
    if (outcome == INTERRUPTED) {
      throw interrupted;
    }
  }

  @Override
  public long reservePermission(int permits) {
    checkPermits(permits);
    long wait = reserve(permits, timeoutNanos);
    if (wait < 0) {
      failed(permits);
      return -1;
    }
    granted(permits, wait);
    return wait;
  }

  private int acquire(int permits, long maxWaitNanos) {
    long wait = reserve(permits, maxWaitNanos);
    if (wait < 0) {
      failed(permits);
      return REFUSED;
    }
    if (wait > 0) {
      WAITING.getAndAdd(this, 1);
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        // The reservation stays spent: later reservations were computed behind it.
        Thread.currentThread().interrupt();
        failed(permits);
        return INTERRUPTED;
      } finally {
        WAITING.getAndAdd(this, -1);
      }
    }
    granted(permits, wait);
    return GRANTED;
  }

  /** Reserves on the current generation, following a limit change if one froze it. */
  private long reserve(int permits, long maxWaitNanos) {
    long maxWait = Math.min(maxWaitNanos, MAX_WAIT_NANOS);
    for (;;) {
      Permits current = this.permits;
      long wait = current.reserve(ticker.nanos(), permits, maxWait);
      if (wait != Permits.FROZEN) {
        return wait;
      }
      PERMITS.compareAndSet(this, current, current.next);
    }
  }

  private void checkPermits(int permits) {
    int max = config.maxPermitsPerRequest();
    if (permits < 1 || permits > max) {
      throw new IllegalArgumentException("permits must be in [1, " + max + "], was " + permits);
    }
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private void granted(int permits, long waitNanos) {
    permitted.add(permits);
    successes.increment();
    if (!events.isEmpty()) {
      events.publish(
          new RateLimiterEvent.SuccessfulAcquire(name, EventTime.now(), permits, Duration.ofNanos(waitNanos)));
    }
  }

  private void failed(int permits) {
    failures.increment();
    if (!events.isEmpty()) {
      events.publish(new RateLimiterEvent.FailedAcquire(name, EventTime.now(), permits));
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Run-time changes

  @Override
  public void drainPermissions() {
    long drained;
    for (;;) {
      Permits current = this.permits;
      drained = current.drain(ticker.nanos());
      if (drained != Permits.FROZEN) {
        break;
      }
      PERMITS.compareAndSet(this, current, current.next);
    }
    if (!events.isEmpty()) {
      events.publish(new RateLimiterEvent.Drained(name, EventTime.now(), drained));
    }
  }

  @Override
  public void changeLimitForPeriod(int limitForPeriod) {
    int old;
    admin.lock();
    try {
      RateLimiterConfig current = config;
      RateLimiterConfig updated = current.toBuilder().limitForPeriod(limitForPeriod).build();
      old = current.limitForPeriod();
      permits = permits.changeLimit(limitForPeriod, updated.burstCapacity(), ticker.nanos());
      config = updated;
    } finally {
      admin.unlock();
    }
    if (!events.isEmpty()) {
      events.publish(new RateLimiterEvent.LimitChanged(name, EventTime.now(), old, limitForPeriod));
    }
  }

  @Override
  public void changeTimeoutDuration(Duration timeoutDuration) {
    Objects.requireNonNull(timeoutDuration, "timeoutDuration must not be null");
    admin.lock();
    try {
      RateLimiterConfig updated = config.toBuilder().timeoutDuration(timeoutDuration).build();
      timeoutNanos = timeoutDuration.toNanos();
      config = updated;
    } finally {
      admin.unlock();
    }
  }

  @Override
  public void reconfigure(RateLimiterConfig next) {
    Objects.requireNonNull(next, "config must not be null");
    RateLimiterConfig previous;
    admin.lock();
    try {
      previous = config;
      if (next.algorithm() != previous.algorithm()) {
        throw new IllegalArgumentException(
            "algorithm cannot change on a running rate limiter, was " + previous.algorithm() + ", asked "
                + next.algorithm() + "; create a new rate limiter");
      }
      if (!next.limitRefreshPeriod().equals(previous.limitRefreshPeriod())) {
        throw new IllegalArgumentException(
            "limitRefreshPeriod cannot change on a running rate limiter, was " + previous.limitRefreshPeriod()
                + ", asked " + next.limitRefreshPeriod() + "; create a new rate limiter");
      }
      if (next.limitForPeriod() != previous.limitForPeriod() || next.burstCapacity() != previous.burstCapacity()) {
        permits = permits.changeLimit(next.limitForPeriod(), next.burstCapacity(), ticker.nanos());
      }
      timeoutNanos = next.timeoutDuration().toNanos();
      config = next;
    } finally {
      admin.unlock();
    }
    Reconfigurations.log("Rate limiter", name, next);
    if (!events.isEmpty()) {
      events.publish(new RateLimiterEvent.ConfigurationChanged(name, EventTime.now(), previous, next));
    }
  }

  @Override
  public Subscription onEvent(Consumer<? super RateLimiterEvent> listener) {
    return events.subscribe(listener);
  }

  // ---------------------------------------------------------------------------------------------------
  // Introspection

  @Override
  public String name() {
    return name;
  }

  @Override
  public RateLimiterConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return new RateLimiterMetricsSnapshot(
        permits.available(ticker.nanos()),
        waiting,
        config.limitForPeriod(),
        permitted.sum(),
        successes.sum(),
        failures.sum());
  }

  @Override
  public String toString() {
    RateLimiterConfig c = config;
    return "RateLimiter[" + name + ", " + c.algorithm() + " " + c.limitForPeriod() + "/" + c.limitRefreshPeriod() + "]";
  }
}
