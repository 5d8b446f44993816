package dev.fusebox.timelimiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualScheduler;
import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TimeLimiterRegistryTest {

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());

  @Test
  void createsEachNamedTimeLimiterOnceAndForwardsItsEventsWhileSomebodyListens() {
    TimeLimiterConfig fast = TimeLimiterConfig.builder().timeoutDuration(Duration.ofMillis(100)).scheduler(scheduler).build();
    TimeLimiterRegistry registry = TimeLimiterRegistry.of(fast);
    registry.addConfiguration("slow", TimeLimiterConfig.builder().timeoutDuration(Duration.ofSeconds(5)).build());
    TimeLimiter search = registry.timeLimiter("search");
    assertThat(registry.timeLimiter("search")).isSameAs(search);
    assertThat(registry.timeLimiter("reports", "slow").config().timeoutDuration()).isEqualTo(Duration.ofSeconds(5));

    List<TimeLimiterEvent> events = new ArrayList<>();
    Subscription subscription = registry.onEvent(events::add);
    search.executeCompletionStage(CompletableFuture::new);
    scheduler.advance(Duration.ofMillis(100));
    assertThat(events).singleElement().isInstanceOf(TimeLimiterEvent.Timeout.class);
    subscription.close();
    assertThat(registry.forwardingCount()).isZero();
    assertThat(registry.remove("search")).containsSame(search);
    assertThat(registry.find("search")).isEmpty();
    assertThat(registry.all()).extracting(TimeLimiter::name).containsExactly("reports");
  }
}
