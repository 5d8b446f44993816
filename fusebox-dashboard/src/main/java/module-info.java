/**
 * The Fusebox dashboard: a live web page, a JSON API and a server-sent-events stream over a
 * {@link dev.fusebox.circuitbreaker.CircuitBreakerRegistry}, served by the JDK's own HTTP server
 * ({@link dev.fusebox.dashboard.Dashboard}) or mounted in another web stack through
 * {@link dev.fusebox.dashboard.DashboardHandler}.
 */
module dev.fusebox.dashboard {
  requires transitive dev.fusebox.core;
  requires jdk.httpserver;
  // Optional: only a dashboard given a RedisSharedState (Builder.sharedState) uses it.
  requires static dev.fusebox.redis;

  exports dev.fusebox.dashboard;
}
