package dev.fusebox.kotlin.ratelimiter

import dev.fusebox.ratelimiter.RateLimiter
import dev.fusebox.ratelimiter.RateLimiterConfig
import dev.fusebox.ratelimiter.RequestNotPermittedException
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
class RateLimiterTest {

    private val ticker = ManualTicker()

    private fun limiter(timeout: Duration): RateLimiter = RateLimiter.of("partner", RateLimiterConfig.builder()
        .limitForPeriod(1)
        .limitRefreshPeriod(Duration.ofSeconds(1))
        .timeoutDuration(timeout)
        .ticker(ticker)
        .sleeper { throw AssertionError("a coroutine never sleeps a thread") }
        .build())

    @Test
    fun aFreePermitRunsTheBlockAtOnce() = runTest {
        val limiter = limiter(Duration.ZERO)

        assertThat(limiter.executeSuspendFunction { "quote" }).isEqualTo("quote")
        assertThat(currentTime).isZero()
    }

    @Test
    fun aRefusedCallThrowsWithoutRunning() = runTest {
        val limiter = limiter(Duration.ZERO)
        limiter.tryAcquirePermission()
        val runs = AtomicInteger()

        val failure = runCatching { limiter.executeSuspendFunction { runs.incrementAndGet() } }.exceptionOrNull()

        assertThat(failure).isInstanceOfSatisfying(RequestNotPermittedException::class.java) {
            assertThat(it.rateLimiterName()).isEqualTo("partner")
        }
        assertThat(runs).hasValue(0)
    }

    @Test
    fun aPermitDueSoonIsAwaitedWithDelay() = runTest {
        val limiter = limiter(Duration.ofSeconds(2))
        limiter.tryAcquirePermission()

        val value = limiter.executeSuspendFunction { currentTime }

        assertThat(value).isEqualTo(1000L)
    }

    @Test
    fun cancellingWhileWaitingNeverRunsTheBlock() = runTest {
        val limiter = limiter(Duration.ofSeconds(2))
        limiter.tryAcquirePermission()
        val runs = AtomicInteger()

        val call = launch { limiter.executeSuspendFunction { runs.incrementAndGet() } }
        runCurrent()
        call.cancel()
        advanceTimeBy(5_000)

        assertThat(runs).hasValue(0)
    }

    @Test
    fun eachCollectionOfAFlowTakesOnePermitBeforeTheSourceIsCollected() = runTest {
        val limiter = limiter(Duration.ofSeconds(2))
        val collectedAt = mutableListOf<Long>()
        val paced = flow { collectedAt += currentTime; emit(1); emit(2) }.rateLimiter(limiter)

        assertThat(paced.toList()).containsExactly(1, 2)
        ticker.advance(Duration.ZERO)
        assertThat(paced.toList()).containsExactly(1, 2)

        assertThat(collectedAt).containsExactly(0L, 1000L)
    }
}
