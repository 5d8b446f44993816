/**
 * Micrometer meters for every Fusebox policy, a policy of your own included
 * ({@link dev.fusebox.micrometer.FuseboxMetrics}), and policies' decisions in traces
 * ({@link dev.fusebox.micrometer.FuseboxObservation}).
 *
 * <p>Micrometer ships automatic modules ({@code micrometer.core} is the name in its manifest), so this
 * module requires it by that name; the build silences the warning about requiring an automatic module.
 */
module dev.fusebox.micrometer {
  requires transitive dev.fusebox.core;
  requires transitive micrometer.core;
  requires transitive micrometer.observation;

  exports dev.fusebox.micrometer;
}
