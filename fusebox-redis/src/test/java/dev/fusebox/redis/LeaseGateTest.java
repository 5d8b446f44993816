package dev.fusebox.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The trial gate on its own: modes, the lease pool, epochs and outcome counting. */
class LeaseGateTest {

  @Test
  void aFreeGateAdmitsEveryTrialAndCountsNothing() {
    LeaseGate gate = new LeaseGate();
    assertThat(gate.tryAcquireTrial()).isTrue();
    gate.trialFinished(true, false);
    assertThat(gate.takeDemand()).isZero();
    assertThat(LeaseGate.done(gate.epoch().outcomes.get())).isZero();
  }

  @Test
  void aDenyingGateRejectsAndRemembersTheDemand() {
    LeaseGate gate = new LeaseGate();
    gate.mode(LeaseGate.DENY);
    assertThat(gate.tryAcquireTrial()).isFalse();
    assertThat(gate.tryAcquireTrial()).isFalse();
    assertThat(gate.takeDemand()).isEqualTo(2);
    assertThat(gate.takeDemand()).isZero();
  }

  @Test
  void leasesAdmitAsManyTrialsAsThePoolHoldsAndCountTheirOutcomes() {
    LeaseGate gate = new LeaseGate();
    gate.mode(LeaseGate.LEASES);
    LeaseGate.Epoch e = gate.newEpoch(7);
    e.pool.set(2);
    assertThat(gate.tryAcquireTrial()).isTrue();
    assertThat(gate.tryAcquireTrial()).isTrue();
    assertThat(gate.tryAcquireTrial()).isFalse();
    gate.releaseTrial();
    assertThat(e.pool.get()).as("a trial without outcome gives its lease back").isEqualTo(1);
    gate.trialFinished(true, true);
    long outcomes = e.outcomes.get();
    assertThat(LeaseGate.done(outcomes)).isEqualTo(1);
    assertThat(LeaseGate.failed(outcomes)).isEqualTo(1);
    assertThat(LeaseGate.slow(outcomes)).isEqualTo(1);
    assertThat(e.inFlight.get()).isZero();
    assertThat(gate.takeDemand()).isEqualTo(3);
  }

  @Test
  void aTrialOfAnOlderEpochCountsForNothingInTheNewOne() {
    LeaseGate gate = new LeaseGate();
    gate.mode(LeaseGate.LEASES);
    gate.newEpoch(1).pool.set(1);
    assertThat(gate.tryAcquireTrial()).isTrue();
    LeaseGate.Epoch next = gate.newEpoch(2);
    gate.trialFinished(true, false);
    gate.releaseTrial();
    assertThat(next.outcomes.get()).isZero();
    assertThat(next.pool.get()).isZero();
  }

  @Test
  void concurrentTrialsNeverTakeMoreLeasesThanThePoolHolds() throws Exception {
    LeaseGate gate = new LeaseGate();
    gate.mode(LeaseGate.LEASES);
    LeaseGate.Epoch e = gate.newEpoch(1);
    e.pool.set(5);
    int threads = 8;
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger admitted = new AtomicInteger();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (Exception ex) {
          throw new IllegalStateException(ex);
        }
        for (int i = 0; i < 100; i++) {
          if (gate.tryAcquireTrial()) {
            admitted.incrementAndGet();
          }
        }
      });
      all.add(thread);
      thread.start();
    }
    for (Thread thread : all) {
      thread.join();
    }
    assertThat(admitted).hasValue(5);
    assertThat(e.inFlight.get()).isEqualTo(5);
    assertThat(e.pool.get()).isZero();
  }
}
