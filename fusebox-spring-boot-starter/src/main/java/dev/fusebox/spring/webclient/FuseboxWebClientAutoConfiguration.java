package dev.fusebox.spring.webclient;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.http.HttpBreakerKey;
import dev.fusebox.http.HttpOutcomeClassifier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Puts every {@code WebClient} built from the application's {@code WebClient.Builder} through per-host
 * circuit breakers, with fusebox-http's classification of outcomes, when fusebox-http and WebFlux are on
 * the class path; off with {@code fusebox.webclient.enabled=false}. A bean of type
 * {@link HttpOutcomeClassifier} or {@link HttpBreakerKey} replaces the default classification or grouping.
 *
 * <pre>{@code
 * WebClient inventory = builder.baseUrl("https://inventory.internal").build();   // breaker http:inventory.internal
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnClass({HttpOutcomeClassifier.class, WebClient.class, WebClientCustomizer.class})
// Its breakers live in the starter's registry: off with the starter or its breakers, too.
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "circuitbreaker.enabled", "webclient.enabled"}, matchIfMissing = true)
public final class FuseboxWebClientAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxWebClientAutoConfiguration() {}

  /**
   * The filter.
   *
   * @param registry where the breakers live
   * @param classifier a classifier of the application's, if it declares one
   * @param key a grouping of the application's, if it declares one
   * @return the filter
   */
  @Bean
  @ConditionalOnMissingBean
  public FuseboxWebClientFilter fuseboxWebClientFilter(
      CircuitBreakerRegistry registry, ObjectProvider<HttpOutcomeClassifier> classifier, ObjectProvider<HttpBreakerKey> key) {
    return new FuseboxWebClientFilter(
        registry, classifier.getIfAvailable(HttpOutcomeClassifier::ofDefaults), key.getIfAvailable(HttpBreakerKey::host));
  }

  /**
   * Adds the filter to every {@code WebClient.Builder} Spring Boot hands out.
   *
   * @param filter the filter
   * @return the customizer
   */
  @Bean
  public WebClientCustomizer fuseboxWebClientCustomizer(FuseboxWebClientFilter filter) {
    return builder -> builder.filter(filter);
  }
}
