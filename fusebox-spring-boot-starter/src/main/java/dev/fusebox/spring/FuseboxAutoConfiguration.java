package dev.fusebox.spring;

import dev.fusebox.bulkhead.AdaptiveBulkheadConfig;
import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry;
import dev.fusebox.bulkhead.BulkheadConfig;
import dev.fusebox.bulkhead.BulkheadRegistry;
import dev.fusebox.chaos.ChaosConfig;
import dev.fusebox.chaos.ChaosRegistry;
import dev.fusebox.circuitbreaker.CircuitBreakerConfig;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.EventHistory;
import dev.fusebox.observability.EventHistoryConfig;
import dev.fusebox.ratelimiter.RateLimiterConfig;
import dev.fusebox.ratelimiter.RateLimiterRegistry;
import dev.fusebox.retry.RetryBudget;
import dev.fusebox.retry.RetryConfig;
import dev.fusebox.retry.RetryRegistry;
import dev.fusebox.spring.annotation.FuseboxAnnotationBeanPostProcessor;
import dev.fusebox.timelimiter.TimeLimiterConfig;
import dev.fusebox.timelimiter.TimeLimiterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * The core of the starter: a registry per policy (circuit breaker, retry, time limiter, bulkhead, adaptive
 * bulkhead, rate limiter, chaos) built from the properties, the breakers' event history,
 * and the annotations. Each bean backs off when the application declares its own.
 *
 * <p>Every named configuration and instance of the properties is built at start-up, so that an invalid
 * value stops the application with its property path (see {@link FuseboxConfigurationException}); the
 * instances are created at once, so that they show in the actuator and the metrics before their first call.
 */
@AutoConfiguration
@EnableConfigurationProperties({
  CircuitBreakerProperties.class,
  RetryProperties.class,
  TimeLimiterProperties.class,
  BulkheadProperties.class,
  AdaptiveBulkheadProperties.class,
  RateLimiterProperties.class,
  ChaosProperties.class
})
public final class FuseboxAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxAutoConfiguration() {}

  /**
   * The circuit breakers: {@code configs.default} (or the core's defaults) as the default configuration,
   * every named configuration added, every instance created.
    *
    * @param properties the {@code fusebox.circuitbreaker} settings
    * @param customizers the application's changes to each instance's configuration
    * @param factory the maker of the registry, when the breakers are shared (fusebox-redis)
    * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public CircuitBreakerRegistry circuitBreakerRegistry(
      CircuitBreakerProperties properties,
      ObjectProvider<CircuitBreakerCustomizer> customizers,
      ObjectProvider<CircuitBreakerRegistryFactory> factory) {
    List<CircuitBreakerCustomizer> list = customizers.orderedStream().toList();
    Built<CircuitBreakerConfig> built =
        build(properties, (name, resolved, problems) -> PolicyConfigs.circuitBreaker(name, resolved, list, problems),
            CircuitBreakerProperties.Instance::new);
    CircuitBreakerRegistryFactory create = factory.getIfAvailable(() -> CircuitBreakerRegistry::of);
    return built.registry(
        create::create,
        CircuitBreakerRegistry::addConfiguration,
        CircuitBreakerRegistry::circuitBreaker);
  }

  /**
   * The retries, built like the circuit breakers.
   *
   * @param properties the {@code fusebox.retry} settings
   * @param customizers the application's changes to each instance's configuration
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public RetryRegistry retryRegistry(
      RetryProperties properties, ObjectProvider<RetryCustomizer> customizers) {
    List<RetryCustomizer> list = customizers.orderedStream().toList();
    Map<String, RetryBudget> budgets = new HashMap<>();
    Built<RetryConfig> built =
        build(properties, (name, resolved, problems) -> PolicyConfigs.retry(name, resolved, list, budgets, problems),
            RetryProperties.Instance::new);
    return built.registry(RetryRegistry::of, RetryRegistry::addConfiguration, RetryRegistry::retry);
  }

  /**
   * The time limiters, built like the circuit breakers. On Java 17 to 20 blocking calls run on a pool of
   * daemon threads that the starter owns; on Java 21 and later, on a virtual thread each.
    *
    * @param properties the {@code fusebox.timelimiter} settings
    * @param customizers the application's changes to each instance's configuration
    * @param executor the threads for blocking calls on Java 17 to 20
    * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public TimeLimiterRegistry timeLimiterRegistry(
      TimeLimiterProperties properties,
      ObjectProvider<TimeLimiterCustomizer> customizers,
      ObjectProvider<BlockingCallExecutor> executor) {
    List<TimeLimiterCustomizer> list = customizers.orderedStream().toList();
    Executor blocking = BlockingCallExecutor.virtualThreadsAvailable() ? null : executor.getObject();
    Built<TimeLimiterConfig> built =
        build(properties, (name, resolved, problems) -> PolicyConfigs.timeLimiter(name, resolved, list, blocking, problems),
            TimeLimiterProperties.Instance::new);
    return built.registry(
        TimeLimiterRegistry::of,
        TimeLimiterRegistry::addConfiguration,
        TimeLimiterRegistry::timeLimiter);
  }

  /**
   * The bulkheads, built like the circuit breakers.
   *
   * @param properties the {@code fusebox.bulkhead} settings
   * @param customizers the application's changes to each instance's configuration
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public BulkheadRegistry bulkheadRegistry(
      BulkheadProperties properties, ObjectProvider<BulkheadCustomizer> customizers) {
    List<BulkheadCustomizer> list = customizers.orderedStream().toList();
    Built<BulkheadConfig> built =
        build(properties, (name, resolved, problems) -> PolicyConfigs.bulkhead(name, resolved, list, problems),
            BulkheadProperties.Instance::new);
    return built.registry(
        BulkheadRegistry::of,
        BulkheadRegistry::addConfiguration,
        BulkheadRegistry::bulkhead);
  }

  /**
   * The adaptive bulkheads, built like the circuit breakers.
   *
   * @param properties the {@code fusebox.adaptive-bulkhead} settings
   * @param customizers the application's changes to each instance's configuration
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public AdaptiveBulkheadRegistry adaptiveBulkheadRegistry(
      AdaptiveBulkheadProperties properties, ObjectProvider<AdaptiveBulkheadCustomizer> customizers) {
    List<AdaptiveBulkheadCustomizer> list = customizers.orderedStream().toList();
    Built<AdaptiveBulkheadConfig> built =
        build(properties, (name, resolved, problems) -> PolicyConfigs.adaptiveBulkhead(name, resolved, list, problems),
            AdaptiveBulkheadProperties.Instance::new);
    return built.registry(
        AdaptiveBulkheadRegistry::of,
        AdaptiveBulkheadRegistry::addConfiguration,
        AdaptiveBulkheadRegistry::bulkhead);
  }

  /**
   * The rate limiters, built like the circuit breakers.
   *
   * @param properties the {@code fusebox.ratelimiter} settings
   * @param customizers the application's changes to each instance's configuration
   * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public RateLimiterRegistry rateLimiterRegistry(
      RateLimiterProperties properties, ObjectProvider<RateLimiterCustomizer> customizers) {
    List<RateLimiterCustomizer> list = customizers.orderedStream().toList();
    Built<RateLimiterConfig> built =
        build(properties, (name, resolved, problems) -> PolicyConfigs.rateLimiter(name, resolved, list, problems),
            RateLimiterProperties.Instance::new);
    return built.registry(
        RateLimiterRegistry::of,
        RateLimiterRegistry::addConfiguration,
        RateLimiterRegistry::rateLimiter);
  }

  /**
   * The chaos policies, built like the circuit breakers: they inject nothing until a rate is set, in the
   * properties or at run time.
    *
    * @param properties the {@code fusebox.chaos} settings
    * @param customizers the application's changes to each instance's configuration
    * @return the registry, every configured instance in it
   */
  @Bean
  @ConditionalOnMissingBean
  public ChaosRegistry chaosRegistry(ChaosProperties properties, ObjectProvider<ChaosCustomizer> customizers) {
    List<ChaosCustomizer> list = customizers.orderedStream().toList();
    Built<ChaosConfig> built =
        build(properties, (name, resolved, problems) -> PolicyConfigs.chaos(name, resolved, list, problems),
            ChaosProperties.Instance::new);
    return built.registry(ChaosRegistry::of, ChaosRegistry::addConfiguration, ChaosRegistry::chaos);
  }

  @Bean
  BlockingCallExecutor fuseboxBlockingCallExecutor() {
    return new BlockingCallExecutor();
  }

  /**
   * The recent events of every breaker (all but successful calls), read by the
   * {@code circuitbreakerevents} endpoint and the dashboard.
    *
    * @param registry the breakers whose events are kept
    * @param properties the settings, for {@code event-history-capacity}
    * @return the history, closed with the application context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public EventHistory circuitBreakerEventHistory(CircuitBreakerRegistry registry, CircuitBreakerProperties properties) {
    EventHistoryConfig config;
    try {
      config = EventHistoryConfig.builder().capacity(properties.getEventHistoryCapacity()).build();
    } catch (IllegalArgumentException e) {
      throw new FuseboxConfigurationException(List.of(
          "fusebox.circuitbreaker.event-history-capacity must be in [1, 1048576], was "
              + properties.getEventHistoryCapacity()));
    }
    return EventHistory.attach(registry, config);
  }

  /**
   * Applies {@code @CircuitBreaker}, {@code @Retry}, {@code @RateLimiter}, {@code @TimeLimiter},
   * {@code @Bulkhead} and {@code @Chaos} to the beans that carry them.
   * Static, as every post-processor declaration should be, so that it does not start this configuration
   * early. Proxies are class-based, as Spring Boot's are unless {@code spring.aop.proxy-target-class=false},
   * so that an annotated bean can still be injected by its class when it implements an interface.
   *
   * @param environment where {@code spring.aop.proxy-target-class} is read
    * @return the post-processor
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  @ConditionalOnBooleanProperty(name = "fusebox.annotations.enabled", matchIfMissing = true)
  public static FuseboxAnnotationBeanPostProcessor fuseboxAnnotationBeanPostProcessor(Environment environment) {
    FuseboxAnnotationBeanPostProcessor processor = new FuseboxAnnotationBeanPostProcessor();
    processor.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
    return processor;
  }

  /** Builds every named configuration and instance of one policy, collecting every problem. */
  private static <C, T extends PolicyProperties.Entry> Built<C> build(
      PolicyProperties<T> properties,
      EntryBuilder<C, T> builder,
      java.util.function.Supplier<T> empty) {
    List<String> problems = new ArrayList<>();
    Map<String, C> configs = new LinkedHashMap<>();
    properties.getConfigs().keySet().forEach(name ->
        configs.put(name, builder.build(name, properties.resolveConfig(name, problems), problems)));
    Map<String, C> instances = new LinkedHashMap<>();
    properties.getInstances().keySet().forEach(name ->
        instances.put(name, builder.build(name, properties.resolveInstance(name, problems), problems)));
    C defaultConfig = configs.remove(PolicyProperties.DEFAULT);
    if (defaultConfig == null) {
      String path = properties.prefix() + ".configs." + PolicyProperties.DEFAULT;
      defaultConfig = builder.build(PolicyProperties.DEFAULT, new PolicyProperties.Resolved<>(path, empty.get(), Map.of()),
          problems);
    }
    FuseboxConfigurationException.throwIfAny(problems);
    return new Built<>(defaultConfig, configs, instances);
  }

  @FunctionalInterface
  private interface EntryBuilder<C, T> {
    C build(String name, PolicyProperties.Resolved<T> resolved, List<String> problems);
  }

  private record Built<C>(C defaultConfig, Map<String, C> configs, Map<String, C> instances) {

    /** Creates the registry with the default configuration, adds the named ones and creates every instance. */
    <R> R registry(Function<C, R> create, Adder<R, C> addConfiguration, Adder<R, C> addInstance) {
      R registry = create.apply(defaultConfig);
      configs.forEach((name, config) -> addConfiguration.add(registry, name, config));
      instances.forEach((name, config) -> addInstance.add(registry, name, config));
      return registry;
    }
  }

  /** Adds a named configuration or instance to a registry: its own method, whatever it returns. */
  @FunctionalInterface
  private interface Adder<R, C> {
    void add(R registry, String name, C config);
  }
}
