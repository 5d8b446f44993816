package dev.fusebox.redis;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import java.time.Instant;
import java.util.Objects;

/**
 * The fleet's view of one shared breaker, as this instance's last flush of it was answered: the fleet's
 * state and the outcomes in the fleet's window, summed over every instance; see
 * {@link FleetControl#window(String)}.
 *
 * <pre>{@code
 * shared.fleet().window("payments").ifPresent(w ->
 *     log.info("fleet {}: {}% of {} calls failed", w.state(), w.failureRate(), w.calls()));
 * }</pre>
 *
 * @param breaker the breaker's name
 * @param state the fleet's state: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
 * @param calls the calls in the fleet's window (empty while the fleet is not closed: an opening clears it)
 * @param failures the failed calls among them
 * @param slowCalls the slow calls among them
 * @param asOf when this instance received the reply, by the wall clock
 */
public record FleetWindow(
    String breaker, CircuitBreaker.State state, long calls, long failures, long slowCalls, Instant asOf) {

  /**
   * Checks the components.
   *
   * @param breaker the breaker's name
   * @param state the fleet's state
   * @param calls the calls in the window
   * @param failures the failed calls among them
   * @param slowCalls the slow calls among them
   * @param asOf when the reply came
   */
  public FleetWindow {
    Objects.requireNonNull(breaker, "breaker must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Objects.requireNonNull(asOf, "asOf must not be null");
    if (calls < 0 || failures < 0 || slowCalls < 0 || failures > calls || slowCalls > calls) {
      throw new IllegalArgumentException(
          "counts must satisfy 0 <= failures, slowCalls <= calls, were " + calls + ", " + failures + ", " + slowCalls);
    }
  }

  /**
   * Returns the failures as a percentage of the calls.
   *
   * @return the failure rate in percent, or -1 without calls
   */
  public float failureRate() {
    return calls == 0 ? -1f : failures * 100f / calls;
  }

  /**
   * Returns the slow calls as a percentage of the calls.
   *
   * @return the slow-call rate in percent, or -1 without calls
   */
  public float slowCallRate() {
    return calls == 0 ? -1f : slowCalls * 100f / calls;
  }
}
