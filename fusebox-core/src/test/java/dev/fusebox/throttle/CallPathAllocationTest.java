package dev.fusebox.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusebox.testing.ManualTicker;
import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The call path allocates nothing: not when a call is accepted, not when it fails, not when it is rejected
 * (the exception is built once), not through the manual form, and not for events nobody wants. Counted
 * with the thread's allocated bytes over {@value #CALLS} calls after as many to warm up, and printed for
 * the record. The bound is a byte per hundred calls: the JIT now and then allocates a few hundred bytes on
 * the thread it compiles for, while the smallest object a call could allocate would take 16 bytes a call.
 */
class CallPathAllocationTest {

  private static final int CALLS = 100_000;
  private static final long NOTHING = CALLS / 100;

  private static final class Failure extends RuntimeException {
    Failure() {
      super("not accepted", null, false, false);
    }
  }

  private static final Failure FAILURE = new Failure();

  private final ManualTicker ticker = new ManualTicker();

  private AdaptiveThrottle throttle() {
    return AdaptiveThrottle.of("allocation", AdaptiveThrottleConfig.builder().ticker(ticker).random(new Random(1)).build());
  }

  @Test
  void anAcceptedCallAllocatesNothing() {
    AdaptiveThrottle throttle = throttle();
    Supplier<String> call = throttle.decorateSupplier(() -> "ok");

    long bytes = bytesAllocatedBy("accepted, decorated supplier", call::get);
    long direct = bytesAllocatedBy("accepted, executeCallable", () -> {
      try {
        throttle.executeCallable(() -> "ok");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });

    assertThat(bytes).isLessThan(NOTHING);
    assertThat(direct).isLessThan(NOTHING);
    assertThat(throttle.metrics().totalAccepts()).isEqualTo(4L * CALLS);
  }

  @Test
  void aRejectedOrFailedCallAllocatesNothing() {
    AdaptiveThrottle throttle = throttle();
    for (int i = 0; i < 1000; i++) {
      throttle.onError(FAILURE); // p = 0.9 from here on: nine calls in ten are rejected, the tenth fails
    }
    Supplier<String> call = throttle.decorateSupplier(() -> { throw FAILURE; });

    long bytes = bytesAllocatedBy("rejected (9 in 10) or failed", () -> {
      try {
        call.get();
      } catch (CallThrottledException | Failure expected) {
        // both are prebuilt
      }
    });

    assertThat(bytes).isLessThan(NOTHING);
    assertThat(throttle.metrics().totalRejectedRequests()).isGreaterThan(CALLS);
    assertThat(throttle.metrics().totalFailedRequests()).isGreaterThan(1000 + CALLS / 10);
  }

  @Test
  void theManualFormAllocatesNothing() {
    AdaptiveThrottle throttle = throttle();

    long bytes = bytesAllocatedBy("manual form", () -> {
      if (throttle.tryAcquirePermission()) {
        throttle.onSuccess();
      }
    });

    assertThat(bytes).isLessThan(NOTHING);
  }

  @Test
  void aListenerOfRejectionsCostsAcceptedCallsNothing() {
    AdaptiveThrottle throttle = throttle();
    throttle.onEvent(EnumSet.of(AdaptiveThrottleEvent.Type.REJECTED), event -> {});
    Supplier<String> call = throttle.decorateSupplier(() -> "ok");

    long bytes = bytesAllocatedBy("accepted, with a listener of rejections", call::get);

    assertThat(bytes).isLessThan(NOTHING);
  }

  private static long bytesAllocatedBy(String what, Runnable call) {
    for (int i = 0; i < CALLS; i++) {
      call.run(); // warm up, so that class loading and compilation are not counted
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < CALLS; i++) {
      call.run();
    }
    long bytes = threads.getThreadAllocatedBytes(id) - before;
    System.out.println("Allocated by " + CALLS + " calls, " + what + ": " + bytes + " bytes");
    return bytes;
  }
}
