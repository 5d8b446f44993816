package dev.fusebox.kotlin.chaos

import dev.fusebox.chaos.Chaos
import dev.fusebox.chaos.ChaosConfig
import dev.fusebox.chaos.InjectedFaultException
import dev.fusebox.testing.ManualScheduler
import dev.fusebox.testing.ManualTicker
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class ChaosTest {

    private val time = ManualScheduler(ManualTicker())
    private val chaos = Chaos.of("inventory", ChaosConfig.builder()
        .scheduler(time)
        .sleeper { throw AssertionError("nothing sleeps") }
        .build())
    private val runs = AtomicInteger()

    @Test
    fun withNothingInjectedTheBlockRuns() = runTest {
        assertThat(chaos.executeSuspendFunction { runs.incrementAndGet(); "stock" }).isEqualTo("stock")

        assertThat(runs).hasValue(1)
        assertThat(chaos.metrics().numberOfCalls()).isEqualTo(1)
    }

    @Test
    fun aFaultIsThrownWithoutRunning() = runTest {
        chaos.update { it.withFaultRate(1.0) }

        val thrown = runCatching { chaos.executeSuspendFunction { runs.incrementAndGet() } }.exceptionOrNull()

        assertThat(thrown).isInstanceOf(InjectedFaultException::class.java)
        assertThat(runs).hasValue(0)
        assertThat(chaos.metrics().numberOfInjectedFaults()).isEqualTo(1)
    }

    @Test
    fun anInjectedResultIsReturnedInsteadOfRunning() = runTest {
        chaos.update { it.withResult(1.0) { "cached" } }

        assertThat(chaos.executeSuspendFunction { runs.incrementAndGet(); "stock" }).isEqualTo("cached")
        assertThat(flow { runs.incrementAndGet(); emit("stock") }.chaos(chaos).toList()).containsExactly("cached")

        assertThat(runs).hasValue(0)
    }

    @Test
    fun latencySuspendsTheCallerBeforeTheBlockRuns() = runTest {
        chaos.update { it.withLatency(1.0, Duration.ofSeconds(2)) }

        val call = async { chaos.executeSuspendFunction { runs.incrementAndGet(); "stock" } }
        runCurrent()
        time.advance(Duration.ofMillis(1999))
        runCurrent()
        assertThat(runs).hasValue(0)
        time.advance(Duration.ofMillis(1))

        assertThat(call.await()).isEqualTo("stock")
        assertThat(runs).hasValue(1)
    }

    @Test
    fun cancellingDuringLatencyMeansTheBlockNeverRuns() = runTest {
        chaos.update { it.withLatency(1.0, Duration.ofSeconds(2)) }

        val call = launch { chaos.executeSuspendFunction { runs.incrementAndGet() } }
        runCurrent()
        call.cancel()
        call.join()
        time.advance(Duration.ofSeconds(5))

        assertThat(runs).hasValue(0)
        assertThat(time.pending()).isZero()
    }

    @Test
    fun eachCollectionOfAFlowIsOneCall() = runTest {
        val guarded = flow { runs.incrementAndGet(); emit(1); emit(2) }.chaos(chaos)

        assertThat(guarded.toList()).containsExactly(1, 2)
        chaos.update { it.withFaultRate(1.0) }
        val thrown = runCatching { guarded.toList() }.exceptionOrNull()
        chaos.update { it.withFaultRate(0.0).withLatency(1.0, Duration.ofSeconds(1)) }
        val delayed = async { guarded.toList() }
        runCurrent()
        assertThat(runs).hasValue(1)
        time.advance(Duration.ofSeconds(1))

        assertThat(delayed.await()).containsExactly(1, 2)
        assertThat(thrown).isInstanceOf(InjectedFaultException::class.java)
        assertThat(runs).hasValue(2)
        assertThat(chaos.metrics().numberOfCalls()).isEqualTo(3)
    }
}
