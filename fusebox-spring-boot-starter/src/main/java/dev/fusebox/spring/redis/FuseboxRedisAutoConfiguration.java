package dev.fusebox.spring.redis;

import static dev.fusebox.spring.support.ConfigBuilding.set;

import dev.fusebox.redis.RedisSharedState;
import dev.fusebox.spring.circuitbreaker.CircuitBreakerRegistryFactory;
import dev.fusebox.spring.circuitbreaker.FuseboxCircuitBreakerAutoConfiguration;
import dev.fusebox.spring.support.ConfigBuilding;
import dev.fusebox.spring.support.PolicyProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Shares every circuit breaker of the application with its other instances through Redis, when
 * fusebox-redis is on the class path and {@code fusebox.redis.uri} is set: the {@code CircuitBreakerRegistry}
 * then comes from {@link RedisSharedState#registry}. Calls never touch Redis; see fusebox-redis for what is
 * shared and how an instance behaves when Redis is away. Off with the breakers
 * ({@code fusebox.circuitbreaker.enabled=false}) or the whole starter ({@code fusebox.enabled=false}).
 */
@AutoConfiguration(before = FuseboxCircuitBreakerAutoConfiguration.class)
@ConditionalOnClass(RedisSharedState.class)
@ConditionalOnProperty(prefix = "fusebox", name = {"enabled", "circuitbreaker.enabled"}, matchIfMissing = true)
@Conditional(FuseboxRedisAutoConfiguration.UriSet.class)
@EnableConfigurationProperties(FuseboxRedisProperties.class)
public final class FuseboxRedisAutoConfiguration {

  /** Creates the configuration; Spring Boot does. */
  public FuseboxRedisAutoConfiguration() {}

  /**
   * The connection to Redis and its sync thread, closed with the application context.
   *
   * @param p the properties
   * @param environment where {@code spring.application.name} comes from, the default key prefix
    * @return the shared state, connected (or degraded, as the start-up policy allows)
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public RedisSharedState fuseboxRedisSharedState(FuseboxRedisProperties p, Environment environment) {
    RedisSharedState.Builder b = RedisSharedState.builder().uri(p.getUri());
    set(p.getInstanceId(), b::instanceId);
    set(p.getKeyPrefix() != null ? p.getKeyPrefix() : applicationPrefix(environment), b::keyPrefix);
    set(p.getSyncInterval(), b::syncInterval);
    set(p.getCommandTimeout(), b::commandTimeout);
    set(p.getConnectTimeout(), b::connectTimeout);
    set(p.getDegradedPolicy(), b::degradedPolicy);
    set(p.getStartupPolicy(), b::startupPolicy);
    set(p.getLeaseDuration(), b::leaseDuration);
    set(p.getRampJitter(), b::rampJitter);
    set(p.getFleetWindow(), b::fleetWindow);
    set(p.getKeyTtl(), b::keyTtl);
    set(p.getStoreBackoffMax(), b::storeBackoffMax);
    set(p.getPubSub(), b::pubSub);
    set(p.getCluster(), b::cluster);
    List<String> problems = new ArrayList<>();
    RedisSharedState shared = ConfigBuilding.build(
        new PolicyProperties.Resolved<>("fusebox.redis", p, Map.of()), Map.of(), b::build, problems);
    ConfigBuilding.throwIfAny(problems);
    return shared;
  }

  /**
   * Makes the application's {@code CircuitBreakerRegistry} a shared one.
   *
   * @param shared the connection to Redis
    * @return the factory that makes the application's registry a shared one
   */
  @Bean
  @ConditionalOnMissingBean
  public CircuitBreakerRegistryFactory sharedCircuitBreakerRegistryFactory(RedisSharedState shared) {
    return shared::registry;
  }

  /**
   * The application's name as a key prefix, so that two applications on one Redis never share breakers
   * by accident (each has its own unless both set {@code fusebox.redis.key-prefix} alike); characters a
   * prefix cannot hold become {@code -}. Null without a name, leaving fusebox-redis's default.
   */
  static String applicationPrefix(Environment environment) {
    String name = environment.getProperty("spring.application.name");
    if (!StringUtils.hasText(name)) {
      return null;
    }
    return name.trim().replaceAll("[{}\\\\\\s\\p{Cntrl}]", "-");
  }

  /** Matches when {@code fusebox.redis.uri} has a value: an empty one (say, an unset variable) leaves sharing off. */
  static final class UriSet extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return StringUtils.hasText(context.getEnvironment().getProperty("fusebox.redis.uri"))
          ? ConditionOutcome.match("fusebox.redis.uri is set")
          : ConditionOutcome.noMatch("fusebox.redis.uri is not set");
    }
  }
}
