package dev.fusebox.redis;

import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.spi.SharedBreakerControl;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One breaker of this instance as the fleet sees it: what to tell the flush script, and how to apply what
 * it answers (or what a state-change message says) to the local breaker.
 *
 * <p>Design note. Everything here runs on the sync thread, except {@link #gate} (calling threads) and the
 * transition listener, which only reads the volatile {@link #fleetState} and asks for a flush. The local
 * breaker decides every call; this class only ever makes it more restrictive, through
 * {@link SharedBreakerControl}: it holds it open while the fleet is open, sends it through leased trials
 * while the fleet is half-open, and ramps it with the fleet after a recovery. Replies and messages carry
 * the fleet's epoch; one older than the epoch already applied is ignored, so a slow reply cannot undo a
 * newer opening. A reply that says Redis lost the state is always taken: epochs start again there.
 */
final class SharedBreaker {

  private static final System.Logger LOG = System.getLogger("dev.fusebox.redis");
  private static final int UNKNOWN = -1;

  /** What the sync loop offers a breaker. */
  interface Host {
    /** Asks for a flush at once (coalesced). */
    void requestFlush();

    /** Asks for a flush no later than {@code nanos} on the settings' ticker. */
    void flushAt(long nanos);

    /** Publishes an event to the state's listeners. */
    void publish(RedisSharedStateEvent event);

    /**
     * Whether the instance has been in contact with Redis without a break since {@code nanos}: then counts
     * a breaker collected since its last flush at {@code nanos} are new, however long it stayed idle.
     */
    boolean inContactSince(long nanos);

    /** Runs {@code task} on the sync thread. */
    void execute(Runnable task);

    /**
     * Whether this instance runs the health probe of {@code breaker} for the fleet: the one live member the
     * breaker's name picks among the members the last heartbeat listed, or this one when it is not among
     * them (degraded, or not yet seen), so that a breaker is never left without a probe.
     */
    boolean probesFor(String breaker);
  }

  final SharedBreakerControl control;
  final CircuitBreaker breaker;
  final String[] keys;
  final FleetConfig fleet;
  final LeaseGate gate = new LeaseGate();
  private final SharedStateOptions settings;
  private final Host host;
  private final Subscription transitions;
  /**
   * Names this breaker's sequence of flushes in Redis: the state's run plus the attachment, so that a
   * breaker removed and created again under the same name starts a new sequence instead of repeating
   * numbers Redis has seen.
   */
  private final String run;

  private volatile int fleetState = UNKNOWN;
  /** The fleet's state and window from the last reply applied, for FleetControl.window; null before one. */
  private volatile FleetWindow window;
  /** The fleet override in force on this breaker, or null; see {@link #override}. */
  private volatile FleetScript.Entry held;
  /** Set when the breaker was closed here (by hand, as nothing else closes it then) while the fleet was open. */
  private volatile boolean closedWhileFleetOpen;
  /** Set when the breaker leaves the shared state: replies still under way then are passed over. */
  private volatile boolean closed;
  private long seq;
  private long lastAckNanos;
  // What the last request sent, so that an idle breaker can skip its flush (see due).
  static final int NOT_DUE = 0;
  static final int BACKLOG = 1;
  static final int URGENT = 2;
  private volatile boolean wanted = true;
  private boolean resync;
  private boolean unanswered;
  private long sentNanos;
  private long sentCalls = -1;
  private long sentFailures;
  private long sentSlow;
  private long knownEpoch;
  private volatile int knownState = UNKNOWN;
  private boolean everApplied;
  private long openUntilNanos;
  private long halfOpenKnownUntilNanos;
  private long rampOffsetMs;
  private long lastNotPermitted;
  /** The sequence number of the last request when the last state-change message was applied. */
  private long messageSeq = -1;
  private final Set<String> reportedMismatches = new HashSet<>();
  // The fleet state of the last reply applied, sent with every flush so that a Redis that lost it can
  // restore it. Messages never change it: they are hints, replies are the record.
  private int viewState = FlushScript.NO_VIEW;
  private long viewEpoch;
  private long viewUntilNanos;
  private int viewLevel;
  /** The sequence number of the last request whose reply was applied: a record below it is one Redis lost. */
  private long ackedSeq;
  /**
   * Nonzero while this instance keeps an opening it heard of by message (at this epoch) over the older
   * state of a Redis that lost it; see {@link #keepsAnnouncedOpening}.
   */
  private long keptEpoch;
  /**
   * The epoch of the fleet opening in which this instance's health probe found the dependency back, sent
   * with each flush until a reply shows the opening over; 0 when none. Sync thread only.
   */
  private long probedEpoch;

  SharedBreaker(SharedBreakerControl control, SharedStateOptions settings, Host host, long attachment) {
    this.control = control;
    this.run = settings.run() + "." + attachment;
    this.breaker = control.breaker();
    this.settings = settings;
    this.host = host;
    this.keys = FlushScript.keys(settings.keyPrefix(), breaker.name());
    this.fleet = new FleetConfig(breaker.config(), settings.fleetWindow(), settings.syncInterval());
    this.lastAckNanos = settings.ticker().nanos();
    gate.probing(() -> host.probesFor(breaker.name()), () -> host.execute(() -> {
      if (fleetState == FlushScript.OPEN) {
        probedEpoch = knownEpoch;
        flushSoon();
      }
    }));
    // A local trip while the fleet is closed is news for the fleet: flush it now, not at the next period.
    // Openings while the fleet is open or half-open are this class's own holds, or need no hurry.
    this.transitions =
        breaker.onStateTransition(
            t -> {
              FleetScript.Entry h = held;
              if (h != null && t.to() != h.state()) {
                host.execute(() -> overriddenLocally(t.to()));
              } else if (t.to() == State.CLOSED && fleetState == FlushScript.OPEN && h == null) {
                closedWhileFleetOpen = true;
              }
              // Every state change goes out at once: the fleet learns of a local trip without waiting a
              // period, and FleetControl.states shows each instance's state as of its last change.
              flushSoon();
            });
  }

  String name() {
    return breaker.name();
  }

  /** Asks for a flush of this breaker at once (coalesced with every other such request). */
  void flushSoon() {
    wanted = true;
    host.requestFlush();
  }

  /** Asks for one flush of this breaker, without hurry: after a break in contact, messages were lost. */
  void resync() {
    resync = true;
  }

  /**
   * Whether this breaker needs a flush this period: {@link #NOT_DUE}, {@link #URGENT} (it has news: new
   * outcomes, trials asked for, a fleet that is not closed, a message or a local trip) or {@link #BACKLOG}
   * (its first flush, a retry, a resync, its refresh; these may wait a round trip or two, so that a
   * thousand of them do not go in one burst). An idle breaker is not due: it learns of fleet changes from
   * the state-change messages, which make it flush at once, and flushes every {@code refreshNanos} (which
   * keeps its record and the keys alive in Redis); without messages every breaker flushes every period.
   */
  int due(long now, long refreshNanos) {
    if (wanted || knownState == FlushScript.OPEN || knownState == FlushScript.HALF_OPEN
        || gate.mode() != LeaseGate.FREE) {
      return URGENT;
    }
    CircuitBreaker.Metrics m = breaker.metrics();
    long failures = m.totalFailedCalls();
    if (m.totalSuccessfulCalls() + failures != sentCalls
        || failures != sentFailures
        || m.totalSlowSuccessfulCalls() + m.totalSlowFailedCalls() != sentSlow
        || m.totalNotPermittedCalls() > lastNotPermitted) {
      return URGENT;
    }
    if (unanswered || resync || !everApplied || !settings.pubSub() || now - sentNanos >= refreshNanos) {
      return BACKLOG;
    }
    return NOT_DUE;
  }

  /** Builds this period's flush; takes back the leases nobody used, so that other instances can have them. */
  FlushScript.Request request() {
    CircuitBreaker.Metrics m = breaker.metrics();
    long failures = m.totalFailedCalls();
    long calls = m.totalSuccessfulCalls() + failures;
    long slow = m.totalSlowSuccessfulCalls() + m.totalSlowFailedCalls();
    long notPermitted = m.totalNotPermittedCalls();
    LeaseGate.Epoch e = gate.epoch();
    e.returned += e.pool.getAndSet(0);
    long outcomes = e.outcomes.get();
    int demand = gate.takeDemand() + (notPermitted > lastNotPermitted ? 1 : 0);
    lastNotPermitted = notPermitted;
    long now = settings.ticker().nanos();
    wanted = false;
    resync = false;
    unanswered = true;
    sentNanos = now;
    sentCalls = calls;
    sentFailures = failures;
    sentSlow = slow;
    return new FlushScript.Request(
        settings.instanceId(),
        run,
        ++seq,
        calls,
        failures,
        slow,
        now - lastAckNanos <= settings.staleNanos() || host.inContactSince(lastAckNanos),
        knownEpoch,
        e.received,
        LeaseGate.done(outcomes),
        LeaseGate.failed(outcomes),
        LeaseGate.slow(outcomes),
        e.returned,
        keptEpoch != 0 || held != null ? 0 : Math.min(fleet.permittedTrials, demand),
        ThreadLocalRandom.current().nextDouble(),
        viewState,
        viewEpoch,
        viewState == FlushScript.OPEN ? Math.max(0, ceilMillis(viewUntilNanos - now)) : 0,
        viewLevel,
        ackedSeq);
  }

  private static long ceilMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }

  String[] args(FlushScript.Request request) {
    return FlushScript.args(
        request,
        fleet,
        settings.leaseDuration().toMillis(),
        settings.staleMs(),
        settings.keyTtl().toMillis(),
        settings.settleMs(),
        settings.channel(),
        breaker.name(),
        breaker.state().name(),
        probedEpoch);
  }

  /** Applies the fleet state a flush returned. */
  void apply(FlushScript.Reply r) {
    if (closed) {
      // The reply of a flush sent before the breaker left: it is a local breaker now.
      return;
    }
    long now = settings.ticker().nanos();
    lastAckNanos = now;
    unanswered = false;
    ackedSeq = seq;
    if (r.lost() && everApplied) {
      LOG.log(Level.WARNING, "Redis lost the shared state of breaker ''{0}''; the fleet state is {1} at epoch {2}{3}",
          breaker.name(), stateName(r.state()), r.epoch(),
          r.restored() ? ", restored from this instance's view" : ", as the instances restored it");
      host.publish(new RedisSharedStateEvent.StateLost(settings.instanceId(), Instant.now(), breaker.name()));
    }
    everApplied = true;
    if (r.epoch() != knownEpoch) {
      // Older than a message applied while this flush was under way: the reply was overtaken, the next
      // one will tell. Older than a message applied before this flush was sent: the reply contradicts
      // the message (Redis ran the flush after it published), and replies are the record.
      if (r.epoch() < knownEpoch && !r.lost() && messageSeq >= seq) {
        return;
      }
      if (keepsAnnouncedOpening(r, now)) {
        resync = true;
        return;
      }
      enter(r.epoch());
    }
    viewState = r.state();
    viewEpoch = r.epoch();
    viewLevel = r.level();
    viewUntilNanos = now + r.remainingMs() * 1_000_000L;
    LeaseGate.Epoch e = gate.epoch();
    if (r.granted() > 0) {
      e.received += r.granted();
      e.pool.addAndGet(r.granted());
    }
    reportMismatch(r);
    if (r.windowCalls() >= 0) {
      window = new FleetWindow(breaker.name(), fleetStateOf(r.state()), r.windowCalls(), r.windowFailures(),
          r.windowSlowCalls(), Instant.now());
    } else if (window == null || r.state() != knownState) {
      window = new FleetWindow(breaker.name(), fleetStateOf(r.state()), 0, 0, 0, Instant.now());
    }
    knownState = r.state();
    fleetState = r.state();
    if (probedEpoch != 0 && (r.state() != FlushScript.OPEN || r.epoch() != probedEpoch)) {
      probedEpoch = 0;
    }
    if (closedWhileFleetOpen) {
      closedWhileFleetOpen = false;
      if (r.state() == FlushScript.OPEN) {
        reportOverride(r);
      }
    }
    switch (r.state()) {
      case FlushScript.OPEN -> holdOpen(now, r.remainingMs());
      case FlushScript.HALF_OPEN -> {
        gate.mode(LeaseGate.LEASES);
        // The fleet is testing the dependency, maybe before this instance's wait is over (a probe found it
        // back): this instance's trials go through leases like everyone else's.
        if (breaker.state() == State.OPEN) {
          control.halfOpen();
        }
        // Leases last one lease duration, and so does what this reply says about the half-open fleet.
        halfOpenKnownUntilNanos = now + settings.leaseDuration().toNanos();
        // A breaker that is closed here would let every call through while the fleet is still testing the
        // dependency: open it, so that its next call goes through a lease like everyone else's. Not if it
        // just closed on trials of this epoch: the fleet decides on them at the next flush.
        if (breaker.state() == State.CLOSED && LeaseGate.done(e.outcomes.get()) == 0 && e.inFlight.get() == 0) {
          control.holdOpen(Duration.ofMillis(1));
        }
      }
      default -> {
        gate.mode(LeaseGate.FREE);
        if (r.recovered() && r.sinceMs() < fleet.rampMs) {
          control.rampFrom(Duration.ofMillis(Math.max(0, r.sinceMs() - rampOffsetMs)));
        }
      }
    }
  }

  /**
   * Whether to pass over a reply older than an opening this instance heard of by message only, because Redis
   * lost that opening: Redis published it, so it held it, and this flush ran after; a state older than it
   * can only be data Redis lost, restored from an instance whose view predates the opening, or none. Taking
   * it would free trials the fleet is still denying, so the announced opening holds, denying trials and
   * asking for none, until a reply brings a newer state (an instance that applied the opening restores it)
   * or until the announced wait is over. Only after a reply said Redis lost data: otherwise a reply that
   * contradicts a message wins, so a forged message is undone by the next flush.
   */
  private boolean keepsAnnouncedOpening(FlushScript.Reply r, long now) {
    if (r.lost() && r.epoch() < knownEpoch && knownEpoch > viewEpoch && knownState == FlushScript.OPEN) {
      keptEpoch = knownEpoch;
    }
    if (keptEpoch != 0 && r.epoch() < keptEpoch && now - openUntilNanos < 0) {
      return true;
    }
    keptEpoch = 0;
    return false;
  }

  /**
   * Applies a state-change message, a hint: anything but an opening by flushing now; an opening by
   * denying trials at once and flushing now, so that the reply confirms it (and holds the breaker for the
   * fleet's wait) or contradicts it (and frees the trials again). The breaker itself is held for a
   * millisecond only, as a hold cannot be taken back: a message never keeps it open beyond the reply that
   * contradicts it, and never beyond the longest wait its configuration allows.
   */
  void onMessage(int state, long epoch, long remainingMs) {
    if (epoch < knownEpoch || epoch == viewEpoch) {
      if (epoch < viewEpoch) {
        // Redis moved to a state older than the last one it replied: it lost ours. Our view restores it.
        flushSoon();
      }
      return;
    }
    if (state != FlushScript.OPEN) {
      if (epoch > knownEpoch) {
        flushSoon();
      }
      return;
    }
    if (epoch != knownEpoch) {
      enter(epoch);
    }
    messageSeq = seq;
    knownState = FlushScript.OPEN;
    fleetState = FlushScript.OPEN;
    long remaining = Math.max(0, Math.min(remainingMs, fleet.longestWaitMs()));
    gate.mode(LeaseGate.DENY);
    openUntilNanos = settings.ticker().nanos() + remaining * 1_000_000L;
    if (remaining > 0) {
      control.holdOpen(Duration.ofMillis(1));
    }
    flushSoon();
  }

  private void enter(long epoch) {
    knownEpoch = epoch;
    gate.newEpoch(epoch);
    long jitter = settings.rampJitter().toMillis();
    rampOffsetMs = jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1);
  }

  private void holdOpen(long now, long remainingMs) {
    gate.mode(LeaseGate.DENY);
    openUntilNanos = now + remainingMs * 1_000_000L;
    if (remainingMs > 0) {
      control.holdOpen(Duration.ofMillis(remainingMs));
    }
    // The fleet moves to half-open on the first flush after its opening ends: make that one come on time.
    host.flushAt(openUntilNanos + 1_000_000L);
  }

  private void reportOverride(FlushScript.Reply r) {
    LOG.log(
        Level.WARNING,
        "Breaker ''{0}'' was closed on this instance, but the fleet is OPEN (epoch {1}, next trial in {2} ms):"
            + " it opens again. Breakers shared through Redis follow the fleet; to let calls through, wait for"
            + " the fleet's trials or force the state on every instance",
        breaker.name(), r.epoch(), r.remainingMs());
    host.publish(
        new RedisSharedStateEvent.LocalChangeOverridden(
            settings.instanceId(), Instant.now(), breaker.name(), State.CLOSED, State.OPEN));
  }

  private void reportMismatch(FlushScript.Reply r) {
    if (r.otherInstance().isEmpty() || !reportedMismatches.add(r.otherFingerprint())) {
      return;
    }
    LOG.log(
        Level.WARNING,
        "Breaker ''{0}'' is shared with instance ''{1}'', whose configuration differs (fingerprint {2}, ours"
            + " {3}); each instance evaluates the fleet with its own, so align them",
        breaker.name(), r.otherInstance(), r.otherFingerprint(), fleet.fingerprint);
    host.publish(
        new RedisSharedStateEvent.ConfigurationMismatch(
            settings.instanceId(), Instant.now(), breaker.name(), fleet.fingerprint, r.otherInstance(),
            r.otherFingerprint()));
  }

  /**
   * Puts the breaker in the fleet override's state, or, when {@code active} is null and an override was
   * held, back under the fleet's automatic state. {@code latest} is the breaker's latest entry (the release's
   * tombstone says who released it and why). On the sync thread, and once on the attaching thread before the
   * registry hands the breaker out.
   */
  synchronized void override(FleetScript.Entry active, FleetScript.Entry latest) {
    if (closed) {
      return;
    }
    FleetScript.Entry was = held;
    if (active != null) {
      boolean same = was != null && was.epoch() == active.epoch();
      held = active;
      State now = breaker.state();
      if (same && now != active.state()) {
        // Moved here since the override was applied, and this pass came before the listener's task: it
        // must still say so, not put the state back silently.
        overriddenLocally(now);
        return;
      }
      moveTo(active.state());
      if (!same) {
        FleetOverride o = active.toOverride();
        LOG.log(Level.WARNING, "Breaker ''{0}'' is {1} on every instance: set by ''{2}'' at {3}{4}, reason: {5}",
            breaker.name(), o.state(), o.by(), o.since(),
            o.until().map(u -> " until " + u).orElse(" until released"), o.reason());
        host.publish(new RedisSharedStateEvent.FleetOverrideApplied(settings.instanceId(), Instant.now(), o));
      }
      return;
    }
    if (was == null) {
      return;
    }
    held = null;
    boolean expired = latest == null || latest.epoch() == was.epoch();
    String by = expired ? "" : latest.by();
    String reason = expired ? "it expired" : latest.reason();
    // Back to the fleet's state: closed, then held open at once if the fleet is open, with no gap.
    breaker.transitionToClosedState();
    closedWhileFleetOpen = false;
    long now = settings.ticker().nanos();
    if (viewState == FlushScript.OPEN && now - viewUntilNanos < 0) {
      control.holdOpen(Duration.ofNanos(viewUntilNanos - now));
    }
    LOG.log(Level.WARNING, "Breaker ''{0}'' follows the fleet again: its {1} override (set by ''{2}'') was"
        + " released{3}, reason: {4}", breaker.name(), was.state(), was.by(),
        expired ? "" : " by '" + by + "'", reason);
    host.publish(new RedisSharedStateEvent.FleetOverrideReleased(
        settings.instanceId(), Instant.now(), was.toOverride(), by, reason));
    flushSoon();
  }

  private void moveTo(State state) {
    if (breaker.state() == state) {
      return;
    }
    if (state == State.DISABLED) {
      breaker.transitionToDisabledState();
    } else {
      breaker.transitionToForcedOpenState();
    }
  }

  /** Someone moved the breaker here while a fleet override holds it: the override wins, and says so. */
  private synchronized void overriddenLocally(State to) {
    FleetScript.Entry h = held;
    if (h == null || closed || breaker.state() == h.state()) {
      return;
    }
    moveTo(h.state());
    FleetOverride o = h.toOverride();
    LOG.log(Level.WARNING, "Breaker ''{0}'' was moved to {1} on this instance, but the fleet holds it {2} (set by"
        + " ''{3}'' at {4}, reason: {5}): it goes back. Release the fleet override to change it",
        breaker.name(), to, o.state(), o.by(), o.since(), o.reason());
    host.publish(new RedisSharedStateEvent.LocalChangeOverridden(
        settings.instanceId(), Instant.now(), breaker.name(), to, o.state()));
  }

  /** Returns the fleet's state and window as the last reply told, or null before any. */
  FleetWindow window() {
    return window;
  }

  private static State fleetStateOf(int state) {
    return switch (state) {
      case FlushScript.OPEN -> State.OPEN;
      case FlushScript.HALF_OPEN -> State.HALF_OPEN;
      default -> State.CLOSED;
    };
  }

  /** Returns the fleet override this breaker is held in, or null. */
  FleetScript.Entry held() {
    return held;
  }

  /** Applies the degraded policy; called on every period while Redis cannot be used. */
  void degraded(DegradedPolicy policy) {
    fleetState = UNKNOWN;
    long now = settings.ticker().nanos();
    switch (policy) {
      case FAIL_CLOSED -> {
        gate.mode(LeaseGate.DENY);
        control.holdOpen(settings.failClosedHold());
      }
      case LAST_KNOWN -> {
        if (knownState == FlushScript.OPEN && now - openUntilNanos < 0) {
          gate.mode(LeaseGate.DENY);
        } else if (knownState == FlushScript.HALF_OPEN && now - halfOpenKnownUntilNanos < 0) {
          gate.mode(LeaseGate.LEASES);
        } else {
          forget(now);
        }
      }
      default -> forget(now);
    }
  }

  private void forget(long now) {
    // An opening this instance heard of by message only held its breaker for a millisecond, the reply was
    // to do the rest; without replies, the local breaker keeps it, as it keeps one it applied from a reply.
    if (knownState == FlushScript.OPEN && now - openUntilNanos < 0) {
      control.holdOpen(Duration.ofNanos(openUntilNanos - now));
    }
    knownState = UNKNOWN;
    gate.mode(LeaseGate.FREE);
  }

  static String stateName(int state) {
    return switch (state) {
      case FlushScript.OPEN -> "OPEN";
      case FlushScript.HALF_OPEN -> "HALF_OPEN";
      case FlushScript.CLOSED -> "CLOSED";
      default -> "unknown";
    };
  }

  /** Returns the fleet state last applied, or -1 when unknown; for tests and diagnostics. */
  int knownState() {
    return knownState;
  }

  long knownEpoch() {
    return knownEpoch;
  }

  /**
   * Hands the breaker back as a plain local one: its trials are free again, so it recovers by its own
   * wait and trials. A hold already applied stays: the breaker keeps the wait it had.
   */
  void close() {
    closed = true;
    transitions.close();
    fleetState = UNKNOWN;
    knownState = UNKNOWN;
    gate.mode(LeaseGate.FREE);
  }

  @Override
  public String toString() {
    return "SharedBreaker[" + breaker.name() + ", fleet=" + knownState + "@" + knownEpoch + ", " + gate + "]";
  }
}
