package dev.fusebox.spring.restclient;

import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.http.HttpBreakerKey;
import dev.fusebox.http.HttpOutcomeClassifier;
import dev.fusebox.spring.FuseboxAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * Puts every {@code RestClient} built from the application's {@code RestClient.Builder} through circuit
 * breakers, with fusebox-http's classification of outcomes, when fusebox-http is on the class path; off with
 * {@code fusebox.restclient.enabled=false}. A bean of type {@link HttpOutcomeClassifier} or
 * {@link HttpBreakerKey} replaces the default classification or grouping.
 */
@AutoConfiguration(after = FuseboxAutoConfiguration.class)
@ConditionalOnClass({HttpOutcomeClassifier.class, RestClient.class, RestClientCustomizer.class})
@ConditionalOnBean(CircuitBreakerRegistry.class)
@ConditionalOnBooleanProperty(name = "fusebox.restclient.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FuseboxRestClientProperties.class)
public final class FuseboxRestClientAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxRestClientAutoConfiguration() {}

  /**
   * The interceptor.
   *
   * @param registry where the breakers live
   * @param classifier a classifier of the application's, if it declares one
   * @param key a grouping of the application's, if it declares one
   * @param p the properties
    * @return the interceptor
   */
  @Bean
  @ConditionalOnMissingBean
  public FuseboxRestClientInterceptor fuseboxRestClientInterceptor(
      CircuitBreakerRegistry registry,
      ObjectProvider<HttpOutcomeClassifier> classifier,
      ObjectProvider<HttpBreakerKey> key,
      FuseboxRestClientProperties p) {
    HttpBreakerKey grouping = key.getIfAvailable(() -> !p.getPathTemplates().isEmpty()
        ? HttpBreakerKey.hostAndPath(p.getPathTemplates().toArray(String[]::new))
        : p.getKey() == FuseboxRestClientProperties.Key.HOST_AND_PORT ? HttpBreakerKey.hostAndPort() : HttpBreakerKey.host());
    return new FuseboxRestClientInterceptor(
        registry, classifier.getIfAvailable(HttpOutcomeClassifier::ofDefaults), grouping, p.getMaxOpenWaitFromRetryAfter());
  }

  /**
   * Adds the interceptor to every {@code RestClient.Builder} Spring Boot hands out.
   *
   * @param interceptor the interceptor
    * @return the customizer
   */
  @Bean
  public RestClientCustomizer fuseboxRestClientCustomizer(FuseboxRestClientInterceptor interceptor) {
    return builder -> builder.requestInterceptor(interceptor);
  }
}
