package dev.fusebox;

/** Lets tests of other packages read a registry's forwarding count, which the API keeps protected. */
public final class RegistryProbe {

  private RegistryProbe() {}

  /** Returns how many instances of {@code registry} forward their events now. */
  public static int forwardingCount(PolicyRegistry<?, ?, ?> registry) {
    return registry.forwardingCount();
  }
}
