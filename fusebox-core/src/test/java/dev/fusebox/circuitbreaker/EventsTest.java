package dev.fusebox.circuitbreaker;

import static dev.fusebox.circuitbreaker.Fixtures.config;
import static dev.fusebox.circuitbreaker.Fixtures.fail;
import static dev.fusebox.circuitbreaker.Fixtures.succeed;
import static dev.fusebox.circuitbreaker.Fixtures.succeedTaking;
import static dev.fusebox.circuitbreaker.Fixtures.throwIgnored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import dev.fusebox.Subscription;
import dev.fusebox.circuitbreaker.CircuitBreaker.State;
import dev.fusebox.circuitbreaker.CircuitBreakerEvent.Type;
import dev.fusebox.circuitbreaker.Fixtures.Boom;
import dev.fusebox.circuitbreaker.Fixtures.Ignorable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Rule 10: events, their order, and listeners that misbehave. */
class EventsTest {

  private final ManualTicker ticker = new ManualTicker();

  private CircuitBreaker breaker() {
    return CircuitBreaker.of(
        "events",
        config(ticker)
            .countBasedWindow(2)
            .slowCallDurationThreshold(Duration.ofSeconds(1))
            .slowCallRateThreshold(50)
            .ignoreExceptions(Ignorable.class)
            .permittedNumberOfCallsInHalfOpenState(1)
            .build());
  }

  @Test
  void everyCallOutcomeIsPublished() {
    CircuitBreaker breaker = breaker();
    List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
    breaker.onEvent(events::add);
    succeedTaking(breaker, ticker, Duration.ofSeconds(2));
    throwIgnored(breaker);
    fail(breaker);
    assertThat(events).extracting(CircuitBreakerEvent::type)
        .containsExactly(
            Type.SUCCESS,
            Type.IGNORED_ERROR,
            Type.ERROR,
            Type.FAILURE_RATE_EXCEEDED,
            Type.SLOW_CALL_RATE_EXCEEDED,
            Type.STATE_TRANSITION);
    CircuitBreakerEvent.Success success = (CircuitBreakerEvent.Success) events.get(0);
    assertThat(success.elapsed()).isEqualTo(Duration.ofSeconds(2));
    assertThat(success.slow()).isTrue();
    assertThat(success.breakerName()).isEqualTo("events");
    assertThat(((CircuitBreakerEvent.IgnoredError) events.get(1)).error()).isInstanceOf(Ignorable.class);
    assertThat(((CircuitBreakerEvent.Failure) events.get(2)).error()).isInstanceOf(Boom.class);
    assertThat(((CircuitBreakerEvent.FailureRateExceeded) events.get(3)).failureRate()).isEqualTo(50.0);
    assertThat(((CircuitBreakerEvent.SlowCallRateExceeded) events.get(4)).slowCallRate()).isEqualTo(50.0);
    StateTransition transition = (StateTransition) events.get(5);
    assertThat(transition.from()).isEqualTo(State.CLOSED);
    assertThat(transition.to()).isEqualTo(State.OPEN);
    Fixtures.rejection(breaker);
    assertThat(events.get(6)).isInstanceOfSatisfying(
        CircuitBreakerEvent.NotPermitted.class, e -> assertThat(e.state()).isEqualTo(State.OPEN));
  }

  @Test
  void aResultRecordedAsFailureIsAnErrorEventWithoutException() {
    CircuitBreaker breaker =
        CircuitBreaker.of("r", config(ticker).recordResult("bad"::equals).build());
    List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
    breaker.onEvent(events::add);
    breaker.executeSupplier(() -> "bad");
    assertThat(events).singleElement().isInstanceOfSatisfying(
        CircuitBreakerEvent.Failure.class, f -> assertThat(f.error()).isNull());
  }

  @Test
  void transitionsArriveOnceEachAndInOrder() {
    CircuitBreaker breaker = breaker();
    List<String> seen = new CopyOnWriteArrayList<>();
    breaker.onStateTransition(t -> seen.add(t.from() + ">" + t.to()));
    fail(breaker, 2);
    ticker.advance(Duration.ofSeconds(60));
    fail(breaker);
    ticker.advance(Duration.ofSeconds(60));
    succeed(breaker);
    assertThat(seen).containsExactly("CLOSED>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>CLOSED");
  }

  @Test
  void aListenerThatMovesTheBreakerSeesTransitionsInOrderNotNested() {
    CircuitBreaker breaker = breaker();
    List<String> seen = new CopyOnWriteArrayList<>();
    breaker.onStateTransition(
        t -> {
          seen.add("first:" + t.to());
          if (t.to() == State.OPEN) {
            breaker.transitionToForcedOpenState();
          }
        });
    breaker.onStateTransition(t -> seen.add("second:" + t.to()));
    breaker.transitionToOpenState();
    assertThat(seen).containsExactly("first:OPEN", "second:OPEN", "first:FORCED_OPEN", "second:FORCED_OPEN");
    assertThat(breaker.state()).isEqualTo(State.FORCED_OPEN);
  }

  @Test
  void aThrowingListenerNeverBreaksTheBreakerOrTheCallerAndOthersStillHear() {
    CircuitBreaker breaker = breaker();
    breaker.onEvent(e -> { throw new IllegalStateException("listener bug"); });
    breaker.onStateTransition(t -> { throw new IllegalStateException("listener bug"); });
    List<CircuitBreakerEvent> heard = new CopyOnWriteArrayList<>();
    breaker.onEvent(heard::add);
    succeed(breaker);
    fail(breaker);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(heard).extracting(CircuitBreakerEvent::type).contains(Type.SUCCESS, Type.ERROR, Type.STATE_TRANSITION);
  }

  @Test
  void aThrowingListenerIsReportedThroughTheSystemLoggerAtMostOncePerPeriod() {
    Logger logger = Logger.getLogger("dev.fusebox");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try {
      CircuitBreaker breaker = CircuitBreaker.of("noisy", config(ticker).build());
      breaker.onEvent(e -> { throw new IllegalStateException("listener bug"); });
      succeed(breaker, 1000);
      assertThat(records).singleElement().satisfies(r -> {
        assertThat(r.getMessage()).contains("circuit breaker 'noisy'").contains("Success");
        assertThat(r.getThrown()).hasMessage("listener bug");
      });
    } finally {
      logger.removeHandler(handler);
    }
  }

  @Test
  void closingASubscriptionStopsDeliveryAndClosingTwiceIsHarmless() {
    CircuitBreaker breaker = breaker();
    List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
    Subscription subscription = breaker.onEvent(events::add);
    succeed(breaker);
    subscription.close();
    subscription.close();
    succeed(breaker);
    assertThat(events).hasSize(1);
  }

  @Test
  void theSameListenerSubscribedTwiceIsCalledTwiceAndRemovedOneAtATime() {
    CircuitBreaker breaker = breaker();
    List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
    java.util.function.Consumer<CircuitBreakerEvent> listener = events::add;
    Subscription first = breaker.onEvent(listener);
    breaker.onEvent(listener);
    succeed(breaker);
    assertThat(events).hasSize(2);
    first.close();
    succeed(breaker);
    assertThat(events).hasSize(3);
  }

  @Test
  void resetIsPublished() {
    CircuitBreaker breaker = breaker();
    List<CircuitBreakerEvent> events = new CopyOnWriteArrayList<>();
    breaker.onEvent(events::add);
    breaker.reset();
    assertThat(events).singleElement().isInstanceOf(CircuitBreakerEvent.Reset.class);
  }

  @Test
  void aListenerOfSomeTypesReceivesOnlyThoseAndOtherEventsAreNotEvenBuilt() {
    CircuitBreaker breaker = breaker();
    List<CircuitBreakerEvent> transitions = new CopyOnWriteArrayList<>();
    Subscription subscription =
        breaker.onEvent(java.util.EnumSet.of(Type.STATE_TRANSITION, Type.NOT_PERMITTED), transitions::add);
    CircuitBreakerImpl impl = (CircuitBreakerImpl) breaker;
    assertThat(impl.buildsEvents(Type.SUCCESS)).isFalse();
    assertThat(impl.buildsEvents(Type.ERROR)).isFalse();
    assertThat(impl.buildsEvents(Type.STATE_TRANSITION)).isTrue();
    succeed(breaker);
    fail(breaker);
    Fixtures.rejection(breaker);
    assertThat(transitions).extracting(CircuitBreakerEvent::type).containsExactly(Type.STATE_TRANSITION, Type.NOT_PERMITTED);
    subscription.close();
    assertThat(impl.buildsEvents(Type.STATE_TRANSITION)).isFalse();
  }
}
