package dev.fusebox.bulkhead;

import java.util.Objects;

/**
 * Thrown, or used to fail a stage, when a bulkhead rejects a call without running it: every permit was
 * taken (and, for a synchronous call with a {@link BulkheadConfig#maxWaitDuration() maxWaitDuration}, none
 * came free in time), or the caller was interrupted while waiting, in which case its interrupt status is
 * set again before this is thrown.
 *
 * <p>Rejection must be cheap under overload, so this exception has no stack trace and no suppressed
 * exceptions, and a bulkhead builds its instances once and throws the same immutable ones for every
 * rejection. The message is composed only when asked for.
 *
 * <pre>{@code
 * try {
 *   return bulkhead.executeSupplier(() -> reports.render(id));
 * } catch (BulkheadFullException e) {
 *   return Response.status(503).entity("busy, try again").build();
 * }
 * }</pre>
 */
public final class BulkheadFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the bulkhead that rejected the call. */
  private final String bulkheadName;
  /** Whether the wait for a permit ended because the caller was interrupted. */
  private final boolean interrupted;

  BulkheadFullException(String bulkheadName, boolean interrupted) {
    super(null, null, false, false);
    this.bulkheadName = bulkheadName;
    this.interrupted = interrupted;
  }

  /**
   * Creates the rejection of a full bulkhead, for integrations that reject on behalf of a bulkhead whose
   * permit they asked for with {@link Bulkhead#tryAcquirePermission()} (a reactive operator, say): the
   * same message and flags as the bulkhead's own rejection, and likewise without a stack trace.
   *
   * @param bulkheadName the bulkhead's name
   * @return a new exception
   * @throws NullPointerException if the name is null
   */
  public static BulkheadFullException of(String bulkheadName) {
    return new BulkheadFullException(
        Objects.requireNonNull(bulkheadName, "bulkheadName must not be null"), false);
  }

  /**
   * Returns the name of the bulkhead that rejected the call.
   *
   * @return the name of the bulkhead that rejected the call
   */
  public String bulkheadName() {
    return bulkheadName;
  }

  /**
   * Returns whether the caller was interrupted while it waited for a permit, rather than timing out.
   *
   * @return whether the caller was interrupted while it waited for a permit, rather than timing out
   */
  public boolean interrupted() {
    return interrupted;
  }

  @Override
  public String getMessage() {
    return interrupted
        ? "Bulkhead '" + bulkheadName + "' rejected a call: the caller was interrupted while waiting for a permit"
        : "Bulkhead '" + bulkheadName + "' is full and does not permit further calls";
  }
}
