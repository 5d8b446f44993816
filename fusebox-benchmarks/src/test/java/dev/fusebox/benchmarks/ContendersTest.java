package dev.fusebox.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusebox.benchmarks.Contenders.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins what every benchmark relies on: each contender, in each window, is in the state its scenario claims
 * and stays there under the calls the benchmark makes. Counts calls, never time.
 */
class ContendersTest {

  static Stream<Arguments> contendersAndWindows() {
    List<Arguments> all = new ArrayList<>();
    for (String contender : Contenders.ALL) {
      for (Window window : Window.values()) {
        all.add(Arguments.of(contender, window));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("contendersAndWindows")
  void aClosedBreakerRunsTheCallAndStaysClosed(String contender, Window window) {
    Subject subject = Contenders.create(contender, Scenario.CLOSED, window, 0);
    for (int i = 0; i < 1_000; i++) {
      assertThat(subject.succeed.get()).isSameAs(Calls.RESULT);
    }
    subject.expect("CLOSED");
  }

  @ParameterizedTest
  @MethodSource("contendersAndWindows")
  void aFailingBreakerRecordsNineFailuresInTenWithoutOpening(String contender, Window window) {
    Subject subject = Contenders.create(contender, Scenario.FAILING, window, 0);
    for (int i = 1; i <= 1_000; i++) {
      if (i % 10 == 0) {
        assertThat(subject.succeed.get()).isSameAs(Calls.RESULT);
      } else {
        assertThatThrownBy(subject.fail::get).isSameAs(Calls.RECORDED);
      }
    }
    subject.expect("CLOSED");
  }

  @ParameterizedTest
  @MethodSource("contendersAndWindows")
  void anIgnoredExceptionReachesTheCallerUnchangedAndNeverOpensTheBreaker(String contender, Window window) {
    Subject subject = Contenders.create(contender, Scenario.FAILING, window, 0);
    for (int i = 0; i < 1_000; i++) {
      assertThatThrownBy(subject.failIgnored::get).isSameAs(Calls.IGNORED);
    }
    subject.expect("CLOSED");
  }

  @ParameterizedTest
  @MethodSource("contendersAndWindows")
  void anOpenBreakerRejectsBothWaysWithoutRunningTheCall(String contender, Window window) {
    Subject subject = Contenders.create(contender, Scenario.OPEN, window, 0);
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(subject.succeed::get)
          .isInstanceOf(RuntimeException.class)
          .isNotInstanceOf(Calls.RecordedFailure.class);
      assertThat(subject.tryAcquire.getAsBoolean()).isFalse();
    }
    subject.expect("OPEN");
  }

  @ParameterizedTest
  @MethodSource("contendersAndWindows")
  void aHalfOpenStayLastsAWholeBatchOfTrialsAndCanBeEnteredAgain(String contender, Window window) {
    int trials = 50;
    Subject subject = Contenders.create(contender, Scenario.HALF_OPEN, window, trials);
    for (int batch = 0; batch < 3; batch++) {
      for (int i = 0; i < trials; i++) {
        assertThat(subject.succeed.get()).isSameAs(Calls.RESULT);
      }
      subject.expect("HALF_OPEN");
      subject.open.run();
      subject.halfOpen.run();
    }
  }
}
