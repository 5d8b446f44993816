package dev.fusebox.demo;

import dev.fusebox.demo.Service.Route;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the service's clients saw, per route: for each phase of a script, the requests that started in it
 * (how many, how many failed, how many were answered by a fallback, and their latencies) and the most
 * threads blocked on the upstream at once while it lasted; and, for the live page, the last ten seconds.
 *
 * <p>Recording is lock-free (adders and concurrent queues, so that virtual threads never pin); reading a
 * phase's figures copies its latencies and sorts them, which is for the end of a phase, not the call path.
 * Threadsafe.
 */
final class Recorder {

  /** How far back the live figures look. */
  static final long RECENT_NANOS = 10_000_000_000L;

  /**
   * One route's figures over one phase.
   *
   * @param requests requests that started in the phase and ended
   * @param errors of which answered with an error status or not at all
   * @param fallbacks of which answered by a fallback (a stale price or the default)
   * @param p50Millis the median latency, as the service's client saw it
   * @param p99Millis the 99th percentile latency
   * @param peakBlocked the most threads inside the route's upstream call at once during the phase
   */
  record Figures(long requests, long errors, long fallbacks, double p50Millis, double p99Millis, int peakBlocked) {}

  private record Recent(long endNanos, long latencyNanos, boolean fallback, boolean error) {}

  private static final class Cell {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    volatile int peakBlocked;
  }

  private final List<String> phases = new ArrayList<>();
  private final List<Map<Route, Cell>> cells = new ArrayList<>();
  private final Map<Route, ConcurrentLinkedQueue<Recent>> recent = new EnumMap<>(Route.class);
  private final Map<Route, BlockedThreads> blocked;
  private final boolean keepRecent;
  private volatile int current = -1;

  /**
   * @param phases the script's phase names, in order
   * @param keepRecent whether to keep the last ten seconds for live figures
   */
  Recorder(List<String> phases, Map<Route, BlockedThreads> blocked, boolean keepRecent) {
    this.blocked = blocked;
    this.keepRecent = keepRecent;
    for (String phase : phases) {
      this.phases.add(phase);
      Map<Route, Cell> row = new EnumMap<>(Route.class);
      for (Route route : Route.values()) {
        row.put(route, new Cell());
      }
      cells.add(row);
    }
    for (Route route : Route.values()) {
      recent.put(route, new ConcurrentLinkedQueue<>());
    }
  }

  /** Enters phase {@code index}: the previous phase's peak of blocked threads is taken now. */
  void startPhase(int index) {
    for (Route route : Route.values()) {
      int peak = blocked.get(route).takePeak();
      if (current >= 0) {
        cells.get(current).get(route).peakBlocked = peak;
      }
    }
    current = index;
  }

  /** Ends the last phase. */
  void finish() {
    startPhase(-1);
  }

  /** Returns the phase requests now start in, or -1 before the first and after the last. */
  int phase() {
    return current;
  }

  List<String> phases() {
    return List.copyOf(phases);
  }

  /** Records one request that started in {@code phase} and took {@code nanos}. */
  void record(Route route, int phase, long endNanos, long nanos, boolean error, boolean fallback) {
    if (phase >= 0) {
      Cell cell = cells.get(phase).get(route);
      cell.requests.increment();
      if (error) {
        cell.errors.increment();
      }
      if (fallback) {
        cell.fallbacks.increment();
      }
      cell.latencies.add(nanos);
    }
    if (keepRecent) {
      recent.get(route).add(new Recent(endNanos, nanos, fallback, error));
    }
  }

  /** Returns a route's figures over one phase. */
  Figures figures(int phase, Route route) {
    Cell cell = cells.get(phase).get(route);
    long[] sorted = cell.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    int peak = phase == current ? Math.max(cell.peakBlocked, blocked.get(route).peek()) : cell.peakBlocked;
    return new Figures(
        cell.requests.sum(), cell.errors.sum(), cell.fallbacks.sum(), percentile(sorted, 0.50), percentile(sorted, 0.99), peak);
  }

  /**
   * Returns a route's figures over the last ten seconds, by end time: requests per second, errors and
   * fallbacks per second, p50 and p99. The peak is the blocked threads' current count.
   */
  Figures recent(Route route, long nowNanos) {
    ConcurrentLinkedQueue<Recent> queue = recent.get(route);
    for (Iterator<Recent> it = queue.iterator(); it.hasNext(); ) {
      if (nowNanos - it.next().endNanos > RECENT_NANOS) {
        it.remove();
      } else {
        break;
      }
    }
    List<Recent> window = new ArrayList<>(queue);
    long[] sorted = window.stream().mapToLong(Recent::latencyNanos).sorted().toArray();
    long errors = window.stream().filter(Recent::error).count();
    long fallbacks = window.stream().filter(Recent::fallback).count();
    return new Figures(window.size(), errors, fallbacks, percentile(sorted, 0.50), percentile(sorted, 0.99),
        blocked.get(route).now());
  }

  /** The nearest-rank percentile in milliseconds; NaN when there is no sample. */
  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }
}
