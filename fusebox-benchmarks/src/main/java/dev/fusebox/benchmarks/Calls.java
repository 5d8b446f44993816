package dev.fusebox.benchmarks;

/**
 * What the guarded call does: nothing worth measuring, so that the breaker's own cost is what a benchmark
 * sees.
 *
 * <p>The exceptions are preallocated and stackless: building and filling in a stack trace costs a
 * microsecond or more, which would swamp the breaker's handling of a failure that every library does in
 * nanoseconds.
 */
final class Calls {

  /** The result every successful call returns. */
  static final Object RESULT = new Object();

  /** Thrown by a failing call; every library records it as a failure. */
  static final RecordedFailure RECORDED = new RecordedFailure();

  /** Thrown by a call whose exception the breakers are configured to ignore. */
  static final IgnoredFailure IGNORED = new IgnoredFailure();

  private Calls() {}

  static Object succeed() {
    return RESULT;
  }

  static Object fail() {
    throw RECORDED;
  }

  static Object failIgnored() {
    throw IGNORED;
  }

  /** A failure every library records. */
  static final class RecordedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RecordedFailure() {
      super("recorded failure", null, false, false);
    }
  }

  /** A failure the breakers ignore (Failsafe, which has no ignore list, records it as a success). */
  static final class IgnoredFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IgnoredFailure() {
      super("ignored failure", null, false, false);
    }
  }
}
