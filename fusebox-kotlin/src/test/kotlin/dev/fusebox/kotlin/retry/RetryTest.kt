package dev.fusebox.kotlin.retry

import dev.fusebox.circuitbreaker.CallNotPermittedException
import dev.fusebox.circuitbreaker.CircuitBreaker
import dev.fusebox.kotlin.circuitbreaker.executeSuspendFunction
import dev.fusebox.retry.MaxRetriesExceededException
import dev.fusebox.retry.Retry
import dev.fusebox.retry.RetryConfig
import dev.fusebox.retry.RetryEvent
import dev.fusebox.testing.ManualTicker
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class RetryTest {

    private val ticker = ManualTicker()
    private val events = mutableListOf<RetryEvent>()

    private fun retry(config: RetryConfig.Builder = RetryConfig.builder()): Retry {
        val retry = Retry.of("quotes", config.ticker(ticker)
            .sleeper { throw AssertionError("a coroutine retry never sleeps") }
            .scheduler { _, _ -> throw AssertionError("a coroutine retry waits with delay") }
            .build())
        retry.onEvent { events += it }
        return retry
    }

    @Test
    fun retriesAfterTheBackoffWithDelayAndReturnsTheValueOfTheAttemptThatSucceeded() = runTest {
        val retry = retry(RetryConfig.builder().maxAttempts(3).exponentialBackoff(2.0, Duration.ofSeconds(10)))
        val attempts = AtomicInteger()
        val startedAt = mutableListOf<Long>()

        val value = retry.executeSuspendFunction {
            startedAt += currentTime
            if (attempts.incrementAndGet() < 3) throw IllegalStateException("flaky") else "ok"
        }

        assertThat(value).isEqualTo("ok")
        assertThat(startedAt).containsExactly(0L, 500L, 1500L)
        assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1)
        assertThat(retry.metrics().numberOfTotalRetryAttempts()).isEqualTo(2)
        assertThat(events.map { it.type() })
            .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.SUCCESS)
    }

    @Test
    fun theLastFailureItselfComesBackWithTheEarlierOnesSuppressed() = runTest {
        val retry = retry(RetryConfig.builder().maxAttempts(3))
        val thrown = mutableListOf<Throwable>()

        val failure = runCatching {
            retry.executeSuspendFunction<String> { throw IllegalStateException("failure ${thrown.size + 1}").also { thrown += it } }
        }.exceptionOrNull()

        assertThat(failure).isSameAs(thrown[2])
        assertThat(failure!!.suppressed).containsExactly(thrown[0], thrown[1])
    }

    @Test
    fun aResultToRetryIsRetriedAndFailsWithMaxRetriesExceededWhenSoConfigured() = runTest {
        val retry = retry(RetryConfig.builder().maxAttempts(2).retryOnResult { it == "busy" }.failAfterMaxAttempts(true))
        val attempts = AtomicInteger()

        val failure = runCatching { retry.executeSuspendFunction { attempts.incrementAndGet(); "busy" } }.exceptionOrNull()

        assertThat(failure).isInstanceOf(MaxRetriesExceededException::class.java)
        assertThat(attempts).hasValue(2)
    }

    @Test
    fun aUnitResultIsASuccessTheResultPredicateNeverSees() = runTest {
        val judged = AtomicInteger()
        val retry = retry(RetryConfig.builder().retryOnResult { judged.incrementAndGet(); true })

        retry.executeSuspendFunction { }

        assertThat(judged).hasValue(0)
        assertThat(retry.metrics().numberOfSuccessfulCallsWithoutRetryAttempt()).isEqualTo(1)
    }

    @Test
    fun aBreakersRejectionIsNotRetried() = runTest {
        val breaker = CircuitBreaker.ofDefaults("quotes")
        breaker.transitionToForcedOpenState()
        val retry = retry(RetryConfig.builder().maxAttempts(5))

        val failure = runCatching { retry.executeSuspendFunction { breaker.executeSuspendFunction { "x" } } }.exceptionOrNull()

        assertThat(failure).isInstanceOf(CallNotPermittedException::class.java)
        assertThat(currentTime).isZero()
    }

    @Test
    fun cancellingDuringTheWaitStopsTheRetriesAndCountsNoCall() = runTest {
        val retry = retry()
        val attempts = AtomicInteger()

        val call = launch { retry.executeSuspendFunction<String> { attempts.incrementAndGet(); throw IllegalStateException("down") } }
        runCurrent()
        advanceTimeBy(100)
        call.cancel()
        advanceTimeBy(10_000)

        assertThat(attempts).hasValue(1)
        val m = retry.metrics()
        assertThat(m.numberOfFailedCallsWithoutRetryAttempt() + m.numberOfFailedCallsWithRetryAttempt()).isZero()
    }

    @Test
    fun aFlowIsCollectedAgainAfterAFailureAndItsElementsAreNotJudged() = runTest {
        val retry = retry(RetryConfig.builder().retryOnResult { it == "bad" })
        val collections = AtomicInteger()
        val source = flow {
            emit("a")
            if (collections.incrementAndGet() == 1) throw IllegalStateException("cut off")
            emit("bad")
        }

        val values = source.retry(retry).toList()

        assertThat(values).containsExactly("a", "a", "bad")
        assertThat(currentTime).isEqualTo(500L)
        assertThat(retry.metrics().numberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1)
    }

    @Test
    fun aFlowThatKeepsFailingEndsWithTheLastFailure() = runTest {
        val retry = retry(RetryConfig.builder().maxAttempts(2))
        val collections = AtomicInteger()

        val failure = runCatching {
            flow<Int> { throw IllegalStateException("failure ${collections.incrementAndGet()}") }.retry(retry).toList()
        }.exceptionOrNull()

        assertThat(failure).hasMessage("failure 2")
        assertThat(failure!!.suppressed).hasSize(1)
    }
}
