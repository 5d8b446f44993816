package dev.fusebox.internal;

/**
 * Logs live reconfigurations through {@link System.Logger}: an operator's change of a running policy belongs
 * in the log whether or not anyone listens for the policy's events.
 */
public final class Reconfigurations {

  private static final System.Logger LOGGER = System.getLogger("dev.fusebox");

  private Reconfigurations() {}

  /**
   * Logs that the policy of {@code kind} named {@code name} now runs with {@code config}.
   *
   * @param kind the policy's kind, for instance {@code "retry"}
   * @param name the policy's name
   * @param config its new configuration, logged with its {@code toString()}
   */
  public static void log(String kind, String name, Object config) {
    if (LOGGER.isLoggable(System.Logger.Level.INFO)) {
      LOGGER.log(System.Logger.Level.INFO, kind + " '" + name + "' reconfigured: " + config);
    }
  }
}
