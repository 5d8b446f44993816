package dev.fusebox.spring.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.spring.FuseboxAutoConfiguration;
import dev.fusebox.throttle.AdaptiveThrottleConfig;
import dev.fusebox.throttle.AdaptiveThrottleRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The adaptive throttles are configured under {@code fusebox.adaptive-throttle} as every other policy. */
class AdaptiveThrottlePropertiesTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration.class));

  @Test
  void bindsEveryOptionWithInheritanceAndCreatesTheInstancesAtStartUp() {
    runner.withPropertyValues(
            "fusebox.adaptive-throttle.configs.default.k=1.5",
            "fusebox.adaptive-throttle.configs.strict.sampling-window=30s",
            "fusebox.adaptive-throttle.configs.strict.max-rejection-probability=0.8",
            "fusebox.adaptive-throttle.instances.inventory.base-config=strict",
            "fusebox.adaptive-throttle.instances.inventory.minimum-number-of-requests=20",
            "fusebox.adaptive-throttle.instances.inventory.ignore-exceptions=java.lang.IllegalArgumentException")
        .run(context -> {
          AdaptiveThrottleRegistry registry = context.getBean(AdaptiveThrottleRegistry.class);
          assertThat(registry.find("inventory")).as("created at start-up").isPresent();
          AdaptiveThrottleConfig config = registry.find("inventory").orElseThrow().config();
          assertThat(config.k()).as("from configs.default, through strict").isEqualTo(1.5);
          assertThat(config.samplingWindow()).isEqualTo(Duration.ofSeconds(30));
          assertThat(config.maxRejectionProbability()).isEqualTo(0.8);
          assertThat(config.minimumNumberOfRequests()).isEqualTo(20);
          assertThat(config.ignoreExceptions()).containsExactly(IllegalArgumentException.class);
          assertThat(registry.defaultConfig().k()).isEqualTo(1.5);
          assertThat(registry.configuration("strict")).isPresent();
        });
  }

  @Test
  void leavesTheCoresDefaultsWhenNothingIsSet() {
    runner.run(context -> assertThat(context.getBean(AdaptiveThrottleRegistry.class).defaultConfig().k())
        .isEqualTo(AdaptiveThrottleConfig.ofDefaults().k()));
  }

  @Test
  void namesThePropertyOfAnInvalidValueWhereItWasWritten() {
    runner.withPropertyValues(
            "fusebox.adaptive-throttle.configs.shared.max-rejection-probability=1.5",
            "fusebox.adaptive-throttle.instances.inventory.base-config=shared",
            "fusebox.adaptive-throttle.instances.inventory.k=0")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("fusebox.adaptive-throttle.configs.shared.max-rejection-probability must be in (0, 1]")
            .hasMessageContaining("fusebox.adaptive-throttle.instances.inventory.k must be a finite number above 0"));
  }

  @Test
  void aCustomizerSaysWhatYamlCannot() {
    AtomicInteger customized = new AtomicInteger();
    runner.withPropertyValues("fusebox.adaptive-throttle.instances.inventory.k=3")
        .withBean(AdaptiveThrottleCustomizer.class, () -> (name, builder) -> {
          customized.incrementAndGet();
          builder.recordException(e -> e instanceof IOException);
        })
        .run(context -> {
          assertThat(context.getBean(AdaptiveThrottleRegistry.class).find("inventory").orElseThrow()
              .config().recordException()).isPresent();
          assertThat(customized).as("default and inventory").hasValue(2);
        });
  }

  @Test
  void aMisspeltKeyFailsTheStart() {
    runner.withPropertyValues("fusebox.adaptive-throttle.instances.inventory.kk=3")
        .run(context -> assertThat(context).hasFailed());
  }
}
