package dev.fusebox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.circuitbreaker.CircuitBreaker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Binding, unbinding, breakers coming and going, and what the binding costs the call path. */
class FuseboxMetricsBindingTest {

  private final Fixture f = new Fixture();

  @Test
  void coversBreakersCreatedBeforeBinding() {
    f.fail(f.breakers.circuitBreaker("early"));
    FuseboxMetrics.bind(f.breakers, f.prometheus);

    assertThat(f.scrape().value("fusebox_circuitbreaker_calls_total", Map.of("name", "early", "kind", "failed")))
        .isEqualTo(1);
  }

  @Test
  void aBreakerAddedAgainUnderARemovedNameGetsMetersOfItsOwn() {
    FuseboxMetrics.bind(f.breakers, f.prometheus);
    CircuitBreaker first = f.breakers.circuitBreaker("payments");
    f.trip(first);
    f.breakers.remove("payments");
    CircuitBreaker second = f.breakers.circuitBreaker("payments");
    f.succeed(second);
    first.transitionToClosedState(); // the removed breaker no longer counts anywhere

    PrometheusText scrape = f.scrape();
    assertThat(scrape.value("fusebox_circuitbreaker_calls_total", Map.of("name", "payments", "kind", "failed")))
        .isEqualTo(0);
    assertThat(scrape.value("fusebox_circuitbreaker_calls_total", Map.of("name", "payments", "kind", "successful")))
        .isEqualTo(1);
    assertThat(scrape.value("fusebox_circuitbreaker_state", Map.of("name", "payments", "state", "closed")))
        .isEqualTo(1);
    assertThat(scrape.samples("fusebox_circuitbreaker_transitions_total", Map.of("name", "payments")))
        .allSatisfy(s -> assertThat(s.value()).isZero());
  }

  @Test
  void keepsNoReferenceToARemovedBreaker() {
    FuseboxMetrics.bind(f.breakers, f.prometheus);
    WeakReference<CircuitBreaker> removed = createTripAndRemove("payments");

    assertThat(f.prometheus.getMeters()).isEmpty();
    assertThat(Gc.collected(removed)).as("the removed breaker was collected").isTrue();
  }

  private WeakReference<CircuitBreaker> createTripAndRemove(String name) {
    CircuitBreaker breaker = f.breakers.circuitBreaker(name);
    f.trip(breaker);
    f.scrape();
    f.breakers.remove(name);
    return new WeakReference<>(breaker);
  }

  @Test
  void breakersAddedAndRemovedConcurrentlyLeaveMetersForExactlyThePresentOnes() throws Exception {
    FuseboxMetrics.bind(f.breakers, f.prometheus);
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> churners = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        churners.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 2_000; i++) {
            String name = "b" + ((seed * 7 + i) % 6); // threads share names, so adds and removes race
            if ((i + seed) % 3 == 0) {
              f.breakers.remove(name);
            } else {
              f.breakers.circuitBreaker(name).transitionToOpenState();
            }
          }
          return null;
        }));
      }
      for (Future<?> churner : churners) {
        churner.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Set<String> present = new TreeSet<>();
    f.breakers.all().forEach(b -> present.add(b.name()));
    Set<String> metered = new TreeSet<>();
    f.prometheus.getMeters().forEach(m -> metered.add(m.getId().getTag("name")));
    assertThat(metered).isEqualTo(present);
    for (String name : present) {
      assertThat(f.prometheus.getMeters()).filteredOn(m -> name.equals(m.getId().getTag("name")))
          .filteredOn(m -> m.getId().getName().equals(FuseboxMetrics.STATE))
          .hasSize(6);
    }
  }

  @Test
  void bindingTwiceToOneRegistryRegistersOnce() {
    FuseboxMetrics metrics = FuseboxMetrics.builder(f.breakers).build();
    metrics.bindTo(f.prometheus);
    metrics.bindTo(f.prometheus);
    f.breakers.circuitBreaker("inventory").transitionToOpenState();

    assertThat(f.scrape().value(
        "fusebox_circuitbreaker_transitions_total", Map.of("name", "inventory", "from", "closed", "to", "open")))
        .isEqualTo(1);
  }

  @Test
  void unbindingFromOneRegistryLeavesTheOthers() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    FuseboxMetrics metrics = FuseboxMetrics.builder(f.breakers).build();
    metrics.bindTo(f.prometheus);
    metrics.bindTo(other);
    f.breakers.circuitBreaker("inventory");

    metrics.unbindFrom(f.prometheus);

    assertThat(f.prometheus.getMeters()).isEmpty();
    assertThat(other.getMeters()).isNotEmpty();
    metrics.close();
    assertThat(other.getMeters()).isEmpty();
  }

  @Test
  void aClosedBinderCannotBindAgain() {
    FuseboxMetrics metrics = FuseboxMetrics.bind(f.breakers, f.prometheus);
    metrics.close();
    metrics.close();
    assertThatThrownBy(() -> metrics.bindTo(f.prometheus))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("FuseboxMetrics was closed; build a new one to bind again");
  }

  @Test
  void commonTagsGoOnEveryMeter() {
    FuseboxMetrics metrics = FuseboxMetrics.builder(f.breakers).tags("application", "shop", "region", "eu").build();
    metrics.bindTo(f.prometheus);
    f.breakers.circuitBreaker("inventory");

    assertThat(metrics.commonTags()).containsExactly(Tag.of("application", "shop"), Tag.of("region", "eu"));
    assertThat(f.prometheus.getMeters()).isNotEmpty().allSatisfy(m -> assertThat(m.getId().getTags())
        .contains(Tag.of("application", "shop"), Tag.of("region", "eu"), Tag.of("name", "inventory")));
  }

  @Test
  void commonTagsMustNotUseTheBindingsOwnKeys() {
    for (String key : new String[] {"name", "state", "kind", "from", "to"}) {
      assertThatThrownBy(() -> FuseboxMetrics.builder(f.breakers).tags(Tags.of(key, "x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("tags must not use the key '" + key + "', which the binding sets itself; reserved: "
              + "[from, kind, name, state, to]");
    }
    assertThatThrownBy(() -> FuseboxMetrics.builder(null)).hasMessage("registry must not be null");
    assertThatThrownBy(() -> FuseboxMetrics.bind(f.breakers, null)).hasMessage("meterRegistry must not be null");
  }

  @Test
  void thePercentileHistogramOptionPublishesBucketsFedByEveryCall() {
    FuseboxMetrics metrics = FuseboxMetrics.builder(f.breakers).percentileHistogram(true).build();
    metrics.bindTo(f.prometheus);
    CircuitBreaker inventory = f.breakers.circuitBreaker("inventory");
    f.succeed(inventory);
    f.succeedSlowly(inventory, Duration.ofSeconds(2));
    f.failTaking(inventory, Duration.ofSeconds(3));

    PrometheusText scrape = f.scrape();
    assertThat(scrape.type("fusebox_circuitbreaker_call_duration_seconds")).isEqualTo("histogram");
    assertThat(scrape.value("fusebox_circuitbreaker_call_duration_seconds_count", Map.of("name", "inventory")))
        .isEqualTo(3);
    assertThat(scrape.value("fusebox_circuitbreaker_call_duration_seconds_sum", Map.of("name", "inventory")))
        .isEqualTo(5.0);
    assertThat(scrape.value("fusebox_circuitbreaker_call_duration_seconds_max", Map.of("name", "inventory")))
        .isEqualTo(3.0);
    assertThat(scrape.value(
        "fusebox_circuitbreaker_call_duration_seconds_bucket", Map.of("name", "inventory", "le", "+Inf")))
        .isEqualTo(3);
    assertThat(metrics.percentileHistogram()).isTrue();
    metrics.close();
    assertThat(f.prometheus.getMeters()).isEmpty();
  }

  @Test
  void publishesTheRegistrysAndTheBreakersTagsAsMeterTags() {
    CircuitBreakerRegistry tagged =
        CircuitBreakerRegistry.of(f.breakers.defaultConfig(), Map.of("team", "checkout", "tier", "2"));
    CircuitBreaker payments = tagged.circuitBreaker("payments", tagged.defaultConfig(), Map.of("tier", "1"));
    FuseboxMetrics.bind(tagged, f.prometheus, Tags.of("application", "shop"));
    f.fail(payments);

    assertThat(
            f.scrape()
                .value(
                    "fusebox_circuitbreaker_calls_total",
                    Map.of("name", "payments", "kind", "failed", "team", "checkout", "tier", "1", "application", "shop")))
        .isEqualTo(1.0);
    assertThat(f.prometheus.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getTag("team")).isEqualTo("checkout"));
  }

  @Test
  void byDefaultTheBindingAddsNoWorkToTheCallPath() {
    CircuitBreaker inventory = f.breakers.circuitBreaker("inventory");
    FuseboxMetrics.bind(f.breakers, f.prometheus);
    long bound = bytesAllocatedBy(() -> inventory.executeSupplier(() -> "ok"));

    PrometheusMeterRegistry other = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FuseboxMetrics.builder(f.breakers).percentileHistogram(true).build().bindTo(other);
    long histogram = bytesAllocatedBy(() -> inventory.executeSupplier(() -> "ok"));

    // A per-call listener makes the breaker build an event for every call: tens of bytes each.
    assertThat(bound).as("bytes allocated by %d calls with the default binding", CALLS).isLessThan(CALLS);
    assertThat(histogram).as("bytes allocated by %d calls with the histogram", CALLS).isGreaterThan(16L * CALLS);
    assertThat(f.prometheus.getMeters()).extracting(Meter::getId).isNotEmpty();
  }

  private static final int CALLS = 20_000;

  private static long bytesAllocatedBy(Supplier<?> call) {
    for (int i = 0; i < CALLS; i++) {
      call.get(); // warm up, so that class loading and compilation are not counted
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < CALLS; i++) {
      call.get();
    }
    return threads.getThreadAllocatedBytes(id) - before;
  }
}
