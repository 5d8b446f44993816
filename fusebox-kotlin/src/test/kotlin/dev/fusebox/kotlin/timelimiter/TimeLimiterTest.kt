package dev.fusebox.kotlin.timelimiter

import dev.fusebox.circuitbreaker.CircuitBreaker
import dev.fusebox.kotlin.circuitbreaker.executeSuspendFunction
import dev.fusebox.timelimiter.TimeLimiter
import dev.fusebox.timelimiter.TimeLimiterConfig
import dev.fusebox.timelimiter.TimeLimiterEvent
import java.time.Duration
import java.util.concurrent.TimeoutException
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class TimeLimiterTest {

    private val events = mutableListOf<TimeLimiterEvent>()
    private val limiter = TimeLimiter.of("search", TimeLimiterConfig.builder()
        .timeoutDuration(Duration.ofMillis(300))
        .scheduler { _, _ -> throw AssertionError("a coroutine is timed with its own clock") }
        .build()).also { it.onEvent { e -> events += e } }

    @Test
    fun aCallInTimeReturnsItsResultAndCountsASuccess() = runTest {
        val value = limiter.executeSuspendFunction { delay(299); "hits" }

        assertThat(value).isEqualTo("hits")
        assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
    }

    @Test
    fun aNullResultInTimeIsAResultNotATimeout() = runTest {
        val value: String? = limiter.executeSuspendFunction { null }

        assertThat(value).isNull()
        assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
    }

    @Test
    fun aTimeOutCancelsTheBlockAndThrowsTheLimitersTimeoutException() = runTest {
        var cancelled = false

        val failure = runCatching {
            limiter.executeSuspendFunction {
                try {
                    CompletableDeferred<String>().await()
                } catch (e: CancellationException) {
                    cancelled = true
                    throw e
                }
            }
        }.exceptionOrNull()

        assertThat(failure).isInstanceOf(TimeoutException::class.java).hasMessage("TimeLimiter 'search' timed out after 300 ms")
        assertThat(cancelled).isTrue()
        assertThat(currentTime).isEqualTo(300L)
        assertThat(events.map { it.type() }).containsExactly(TimeLimiterEvent.Type.TIMEOUT)
    }

    @Test
    fun aTimeOutIsAFailureForABreakerAround() = runTest {
        val breaker = CircuitBreaker.ofDefaults("search")

        runCatching { breaker.executeSuspendFunction { limiter.executeSuspendFunction { delay(1_000) } } }

        assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1)
    }

    @Test
    fun theBlocksOwnExceptionIsAFailureAndComesBackUnchanged() = runTest {
        val failure = IllegalStateException("boom")

        val thrown = runCatching { limiter.executeSuspendFunction<String> { throw failure } }.exceptionOrNull()

        assertThat(thrown).isSameAs(failure)
        assertThat(limiter.metrics().numberOfFailedCalls()).isEqualTo(1)
    }

    @Test
    fun aCancelledCallCountsNothing() = runTest {
        val call = launch { limiter.executeSuspendFunction { delay(200) } }
        runCurrent()
        call.cancel()
        call.join()

        assertThat(events).isEmpty()
    }

    @Test
    fun theLimitBoundsAWholeFlow() = runTest {
        val slow = flow { emit(1); delay(200); emit(2); delay(200); emit(3) }

        val failure = runCatching { slow.timeLimiter(limiter).toList() }.exceptionOrNull()

        assertThat(failure).isInstanceOf(TimeoutException::class.java)
        assertThat(currentTime).isEqualTo(300L)
        assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1)
    }

    @Test
    fun aFlowThatEndsInTimeCountsOnce() = runTest {
        assertThat(flow { emit(1); delay(100); emit(2) }.timeLimiter(limiter).toList()).containsExactly(1, 2)
        assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
    }
}
