package dev.fusebox.spring;

import java.util.List;

/**
 * Thrown at start-up when Fusebox's properties or annotations are invalid; the application does not
 * start. Each problem names what to fix: a property path
 * ({@code fusebox.circuitbreaker.instances.backend.failure-rate-threshold must be in (0, 100], was 120.0})
 * or an annotated method and its fallback.
 *
 * <p>Spring Boot prints it through {@link FuseboxFailureAnalyzer}, one problem per line.
 */
public final class FuseboxConfigurationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The problems found; kept for the failure analyzer. */
  @SuppressWarnings("serial") // an immutable List.copyOf, serializable in practice
  private final List<String> problems;

  /**
   * Creates the exception.
   *
   * @param problems every problem found, each a complete sentence naming what to fix
   */
  public FuseboxConfigurationException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns every problem found, each naming what to fix.
   *
   * @return the problems, each one line
   */
  public List<String> problems() {
    return problems;
  }

  private static String message(List<String> problems) {
    return problems.size() == 1
        ? "Invalid Fusebox configuration: " + problems.get(0)
        : "Invalid Fusebox configuration (" + problems.size() + " problems): " + String.join("; ", problems);
  }
}
