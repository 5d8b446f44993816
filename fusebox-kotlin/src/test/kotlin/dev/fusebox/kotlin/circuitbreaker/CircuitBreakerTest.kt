package dev.fusebox.kotlin.circuitbreaker

import dev.fusebox.circuitbreaker.CallNotPermittedException
import dev.fusebox.circuitbreaker.CircuitBreaker
import dev.fusebox.circuitbreaker.CircuitBreakerConfig
import dev.fusebox.testing.ManualTicker
import java.io.IOException
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class CircuitBreakerTest {

    private val ticker = ManualTicker()

    private fun breaker(config: CircuitBreakerConfig.Builder = CircuitBreakerConfig.builder()): CircuitBreaker =
        CircuitBreaker.of("quotes", config.ticker(ticker).build())

    @Test
    fun aResultIsRecordedAsASuccessAndReturned() = runTest {
        val breaker = breaker()

        val quote = breaker.executeSuspendFunction { "quote" }

        assertThat(quote).isEqualTo("quote")
        assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
    }

    @Test
    fun anExceptionIsRecordedAsAFailureAndRethrownUnchanged() = runTest {
        val breaker = breaker()
        val failure = IOException("down")

        val thrown = runCatching { breaker.executeSuspendFunction<String> { throw failure } }.exceptionOrNull()

        assertThat(thrown).isSameAs(failure)
        assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1)
    }

    @Test
    fun aRejectedCallThrowsTheBreakersRejectionWithoutRunning() = runTest {
        val breaker = breaker()
        breaker.transitionToForcedOpenState()
        val runs = AtomicInteger()

        val thrown = runCatching { breaker.executeSuspendFunction { runs.incrementAndGet() } }.exceptionOrNull()

        assertThat(thrown).isInstanceOfSatisfying(CallNotPermittedException::class.java) {
            assertThat(it.breakerName()).isEqualTo("quotes")
            assertThat(it.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN)
        }
        assertThat(runs).hasValue(0)
    }

    @Test
    fun aUnitResultIsASuccessTheResultPredicateNeverSees() = runTest {
        val judged = AtomicInteger()
        val breaker = breaker(CircuitBreakerConfig.builder().recordResult { judged.incrementAndGet(); true })

        breaker.executeSuspendFunction { }

        assertThat(judged).hasValue(0)
        assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
    }

    @Test
    fun recordResultJudgesTheResult() = runTest {
        val breaker = breaker(CircuitBreakerConfig.builder().recordResult { it == "busy" })

        breaker.executeSuspendFunction { "busy" }

        assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1)
    }

    @Test
    fun cancellingTheCoroutineGivesTheTrialPermitBackWithoutRecording() = runTest {
        val breaker = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1))
        breaker.transitionToHalfOpenState()
        val never = CompletableDeferred<String>()

        val call = launch { breaker.executeSuspendFunction { never.await() } }
        runCurrent()
        call.cancel()
        call.join()

        assertThat(breaker.metrics().numberOfBufferedCalls()).isZero()
        assertThat(breaker.executeSuspendFunction { "trial" }).isEqualTo("trial")
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED)
    }

    @Test
    fun aTimeoutInsideTheBlockIsAFailureNotACancellation() = runTest {
        val breaker = breaker()

        val thrown = runCatching {
            breaker.executeSuspendFunction { withTimeout(10) { CompletableDeferred<String>().await() } }
        }.exceptionOrNull()

        assertThat(thrown).isInstanceOf(kotlinx.coroutines.TimeoutCancellationException::class.java)
        assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1)
    }

    @Test
    fun durationsRunOnTheBreakersTickerAcrossItsOverflow() = runTest {
        ticker.set(Long.MAX_VALUE - Duration.ofMillis(500).toNanos())
        val breaker = breaker(CircuitBreakerConfig.builder()
            .slowCallDetection(true).slowCallDurationThreshold(Duration.ofSeconds(1)))

        breaker.executeSuspendFunction { ticker.advance(Duration.ofSeconds(2)); "slow" }
        breaker.executeSuspendFunction { ticker.advance(Duration.ofMillis(999)); "fast" }

        assertThat(breaker.metrics().numberOfSlowCalls()).isEqualTo(1)
    }

    @Test
    fun aFlowIsOneCallRecordedOnceWhenItCompletes() = runTest {
        val breaker = breaker(CircuitBreakerConfig.builder().recordResult { it == "bad" })
        val seen = mutableListOf<Int>()

        val values = flow {
            emit("a")
            seen += breaker.metrics().numberOfBufferedCalls()
            emit("bad")
        }.circuitBreaker(breaker).toList()

        assertThat(values).containsExactly("a", "bad")
        assertThat(seen).containsExactly(0)
        assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
        assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1)
    }

    @Test
    fun aFlowThatFailsIsOneFailure() = runTest {
        val breaker = breaker()
        val failure = IllegalStateException("cut off")

        val thrown = runCatching { flow { emit(1); throw failure }.circuitBreaker(breaker).toList() }.exceptionOrNull()

        assertThat(thrown).isSameAs(failure)
        assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1)
    }

    @Test
    fun aRejectedFlowIsNotCollected() = runTest {
        val breaker = breaker()
        breaker.transitionToForcedOpenState()
        val collected = AtomicInteger()

        val thrown = runCatching { flow { collected.incrementAndGet(); emit(1) }.circuitBreaker(breaker).toList() }
            .exceptionOrNull()

        assertThat(thrown).isInstanceOf(CallNotPermittedException::class.java)
        assertThat(collected).hasValue(0)
    }

    @Test
    fun aDownstreamThatStopsEarlyOrThrowsGivesThePermitBackWithoutRecording() = runTest {
        val breaker = breaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1))
        breaker.transitionToHalfOpenState()
        val guarded = flowOf(1, 2, 3).circuitBreaker(breaker)

        assertThat(guarded.take(1).toList()).containsExactly(1)
        assertThat(guarded.first()).isEqualTo(1)
        runCatching { guarded.collect { throw IllegalStateException("downstream") } }

        assertThat(breaker.metrics().numberOfBufferedCalls()).isZero()
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN)
        assertThat(guarded.toList()).containsExactly(1, 2, 3)
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED)
    }
}
