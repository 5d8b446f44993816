/**
 * Fusebox HTTP: circuit breakers and retries for {@link java.net.http.HttpClient}. Decorate a client with
 * {@link dev.fusebox.http.FuseboxHttpClient}; classify outcomes with {@link dev.fusebox.http.HttpOutcomeClassifier}.
 */
module dev.fusebox.http {
  requires transitive dev.fusebox.core;
  requires transitive java.net.http;

  exports dev.fusebox.http;
}
