package dev.fusebox.chaos;

/**
 * The fault a {@link Chaos} policy injects when no fault supplier is configured. It carries no stack trace:
 * it is thrown on purpose, often at a high rate, and where it was thrown says nothing.
 *
 * <pre>{@code
 * catch (InjectedFaultException e) {
 *   // only in chaos experiments
 * }
 * }</pre>
 */
public final class InjectedFaultException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the chaos policy that injected this fault. */
  private final String chaosName;

  InjectedFaultException(String chaosName) {
    super("Chaos '" + chaosName + "' injected a fault", null, false, false);
    this.chaosName = chaosName;
  }

  /**
   * Returns the name of the chaos policy that injected this fault.
   *
   * @return the name of the chaos policy that injected this fault
   */
  public String chaosName() {
    return chaosName;
  }
}
