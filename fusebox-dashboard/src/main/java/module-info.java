/**
 * The Fusebox dashboard: a live web page, a JSON API and a server-sent-events stream over a
 * {@link dev.fusebox.circuitbreaker.CircuitBreakerRegistry}, served by the JDK's own HTTP server
 * ({@link dev.fusebox.dashboard.Dashboard}) or mounted in another web stack through
 * {@link dev.fusebox.dashboard.DashboardHandler}.
 */
module dev.fusebox.dashboard {
  requires transitive dev.fusebox.core;
  requires jdk.httpserver;

  exports dev.fusebox.dashboard;
}
