package dev.fusebox.spring.annotation

import dev.fusebox.bulkhead.AdaptiveBulkheadRegistry
import dev.fusebox.bulkhead.BulkheadFullException
import dev.fusebox.ratelimiter.RateLimiterRegistry
import dev.fusebox.ratelimiter.RequestNotPermittedException
import dev.fusebox.spring.FuseboxAutoConfiguration
import dev.fusebox.timelimiter.TimeLimiterRegistry
import java.util.Collections
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * @TimeLimiter, @RateLimiter and the adaptive @Bulkhead on Kotlin suspend functions (per call, when the
 * coroutine calls) and on functions returning a Flow (per collection, with one outcome when it ends), on a
 * real Spring context set up as in [SuspendAnnotationsTest].
 */
class SuspendPoliciesTest {

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration::class.java))
        .withBean("policed", Policed::class.java)
        .withPropertyValues(
            "fusebox.timelimiter.instances.quick.timeout-duration=200ms",
            // Two permits in a period longer than the test, none waited for: the third call is refused.
            "fusebox.ratelimiter.instances.twice.limit-for-period=2",
            "fusebox.ratelimiter.instances.twice.limit-refresh-period=1h",
            "fusebox.ratelimiter.instances.twice.timeout-duration=0",
            "fusebox.ratelimiter.instances.twiceFed.limit-for-period=2",
            "fusebox.ratelimiter.instances.twiceFed.limit-refresh-period=1h",
            "fusebox.ratelimiter.instances.twiceFed.timeout-duration=0",
            // An adaptive limit pinned to one call at a time.
            "fusebox.adaptive-bulkhead.instances.narrow.initial-limit=1",
            "fusebox.adaptive-bulkhead.instances.narrow.min-limit=1",
            "fusebox.adaptive-bulkhead.instances.narrow.max-limit=1",
            "fusebox.adaptive-bulkhead.instances.narrowFeed.initial-limit=1",
            "fusebox.adaptive-bulkhead.instances.narrowFeed.min-limit=1",
            "fusebox.adaptive-bulkhead.instances.narrowFeed.max-limit=1",
        )

    /** Open, as Spring's class proxy needs; its counters are read through open methods, which reach the bean. */
    open class Policed {
        private val entered = AtomicInteger()
        private val cancelled = AtomicInteger()
        private val left = AtomicInteger()
        private val asks = AtomicInteger()
        private val feeds = AtomicInteger()

        /** How many times a body started. */
        open fun entered(): Int = entered.get()

        /** How many bodies ended in a finally whose coroutine was no longer active: really cancelled. */
        open fun cancelled(): Int = cancelled.get()

        /** How many bodies ended, however. */
        open fun left(): Int = left.get()

        open fun asks(): Int = asks.get()

        open fun feeds(): Int = feeds.get()

        private suspend fun leaving() {
            if (!currentCoroutineContext().isActive) {
                cancelled.incrementAndGet()
            }
            left.incrementAndGet()
        }

        @TimeLimiter(name = "quick")
        open suspend fun stall(): String {
            entered.incrementAndGet()
            try {
                delay(10_000)
                return "late"
            } finally {
                leaving()
            }
        }

        @TimeLimiter(name = "quick")
        open suspend fun prompt(): String {
            delay(1)
            return "in time"
        }

        /** Each element well within the limit, the whole collection not. */
        @TimeLimiter(name = "quick")
        open fun trickle(): Flow<Int> = flow {
            entered.incrementAndGet()
            try {
                for (i in 1..20) {
                    emit(i)
                    delay(50)
                }
            } finally {
                leaving()
            }
        }

        @TimeLimiter(name = "quick")
        open fun burst(): Flow<Int> = flow {
            emit(1)
            emit(2)
        }

        @RateLimiter(name = "twice")
        open suspend fun ask(): Int {
            delay(1)
            return asks.incrementAndGet()
        }

        @RateLimiter(name = "twiceFed")
        open fun feed(): Flow<Int> = flow {
            feeds.incrementAndGet()
            for (i in 1..3) {
                emit(i)
            }
        }

        @Bulkhead(name = "narrow", type = Bulkhead.Type.ADAPTIVE)
        open suspend fun hold(gate: CompletableDeferred<Unit>): String {
            entered.incrementAndGet()
            try {
                gate.await()
                return "done"
            } finally {
                leaving()
            }
        }

        @Bulkhead(name = "narrowFeed", type = Bulkhead.Type.ADAPTIVE)
        open fun holdFeed(gate: CompletableDeferred<Unit>): Flow<Int> = flow {
            entered.incrementAndGet()
            try {
                emit(1)
                gate.await()
                emit(2)
            } finally {
                leaving()
            }
        }
    }

    /** Waits, a bounded while, for a condition another thread makes true. */
    private suspend fun eventually(condition: () -> Boolean) {
        withTimeout(5_000) {
            while (!condition()) {
                delay(5)
            }
        }
    }

    @Test
    fun aSuspendCallOverTheTimeLimitIsCancelledAndFailsWithTheLimitersException() {
        runner.run { context ->
            val policed = context.getBean(Policed::class.java)
            val limiter = context.getBean(TimeLimiterRegistry::class.java).timeLimiter("quick")
            val start = System.nanoTime()
            assertThatThrownBy { runBlocking { policed.stall() } }.isInstanceOf(TimeoutException::class.java)
            // Far sooner than the body's 10 s: the limiter, not the body, ended the call.
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L)
            runBlocking { eventually { policed.left() == 1 } }
            assertThat(policed.entered()).isEqualTo(1)
            assertThat(policed.cancelled()).isEqualTo(1)
            assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1)

            assertThat(runBlocking { policed.prompt() }).isEqualTo("in time")
            assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
        }
    }

    @Test
    fun aFlowOverTheTimeLimitIsCancelledOncePerCollection() {
        runner.run { context ->
            val policed = context.getBean(Policed::class.java)
            val limiter = context.getBean(TimeLimiterRegistry::class.java).timeLimiter("quick")
            val trickle = policed.trickle()
            // Calling is not collecting.
            assertThat(policed.entered()).isZero()
            assertThat(limiter.metrics().numberOfTimedOutCalls()).isZero()

            val seen = Collections.synchronizedList(ArrayList<Int>())
            val start = System.nanoTime()
            assertThatThrownBy { runBlocking { trickle.collect { seen.add(it) } } }
                .isInstanceOf(TimeoutException::class.java)
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L)
            // Elements came before the time ran out: the limit bounds the whole collection, not each gap.
            assertThat(seen).isNotEmpty().hasSizeLessThan(20)
            assertThat(policed.cancelled()).isEqualTo(1)
            assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1)

            // One success per collection, not per element.
            val burst = policed.burst()
            assertThat(runBlocking { burst.toList() }).containsExactly(1, 2)
            assertThat(runBlocking { burst.toList() }).containsExactly(1, 2)
            assertThat(limiter.metrics().numberOfSuccessfulCalls()).isEqualTo(2)
            assertThat(limiter.metrics().numberOfTimedOutCalls()).isEqualTo(1)
        }
    }

    @Test
    fun aSuspendCallOverTheRateIsRefusedWithoutRunning() {
        runner.run { context ->
            val policed = context.getBean(Policed::class.java)
            assertThat(runBlocking { policed.ask() }).isEqualTo(1)
            assertThat(runBlocking { policed.ask() }).isEqualTo(2)
            assertThatThrownBy { runBlocking { policed.ask() } }.isInstanceOf(RequestNotPermittedException::class.java)
            assertThat(policed.asks()).isEqualTo(2)
        }
    }

    @Test
    fun aFlowTakesOnePermitPerCollection() {
        runner.run { context ->
            val policed = context.getBean(Policed::class.java)
            val limiter = context.getBean(RateLimiterRegistry::class.java).rateLimiter("twiceFed")
            val feed = policed.feed()
            policed.feed()
            // Calling is not collecting: no permit taken yet.
            assertThat(limiter.metrics().availablePermissions()).isEqualTo(2)

            // Three elements, one permit; the same flow collected again takes another.
            assertThat(runBlocking { feed.toList() }).containsExactly(1, 2, 3)
            assertThat(limiter.metrics().availablePermissions()).isEqualTo(1)
            assertThat(runBlocking { feed.toList() }).containsExactly(1, 2, 3)
            assertThatThrownBy { runBlocking { policed.feed().toList() } }
                .isInstanceOf(RequestNotPermittedException::class.java)
            assertThat(policed.feeds()).isEqualTo(2)
        }
    }

    @Test
    fun theAdaptiveBulkheadLimitsSuspendCallsAndTakesThePermitBackOnCancellation() {
        runner.run { context ->
            val policed = context.getBean(Policed::class.java)
            val bulkhead = context.getBean(AdaptiveBulkheadRegistry::class.java).bulkhead("narrow")
            runBlocking {
                val gate = CompletableDeferred<Unit>()
                val first = async(start = CoroutineStart.UNDISPATCHED) { policed.hold(gate) }
                eventually { policed.entered() == 1 }
                assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1)

                assertThatThrownBy { runBlocking { policed.hold(CompletableDeferred(Unit)) } }
                    .isInstanceOf(BulkheadFullException::class.java)
                assertThat(policed.entered()).isEqualTo(1)

                first.cancelAndJoin()
                eventually { policed.left() == 1 }
                assertThat(policed.cancelled()).isEqualTo(1)
                eventually { bulkhead.metrics().concurrentCalls() == 0 }
                assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1)

                // The permit is back: the next call runs.
                assertThat(policed.hold(CompletableDeferred(Unit))).isEqualTo("done")
                assertThat(policed.entered()).isEqualTo(2)
                assertThat(bulkhead.metrics().concurrentCalls()).isZero()
            }
        }
    }

    @Test
    fun theAdaptiveBulkheadHoldsAFlowsPermitForTheWholeCollection() {
        runner.run { context ->
            val policed = context.getBean(Policed::class.java)
            val bulkhead = context.getBean(AdaptiveBulkheadRegistry::class.java).bulkhead("narrowFeed")
            runBlocking {
                val gate = CompletableDeferred<Unit>()
                val seen = Collections.synchronizedList(ArrayList<Int>())
                val first = launch(start = CoroutineStart.UNDISPATCHED) { policed.holdFeed(gate).collect { seen.add(it) } }
                // Between its first and second element the collection still holds the permit.
                eventually { seen.size == 1 }
                assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1)
                assertThatThrownBy { runBlocking { policed.holdFeed(CompletableDeferred(Unit)).toList() } }
                    .isInstanceOf(BulkheadFullException::class.java)
                assertThat(policed.entered()).isEqualTo(1)

                first.cancelAndJoin()
                assertThat(policed.cancelled()).isEqualTo(1)
                assertThat(bulkhead.metrics().concurrentCalls()).isZero()

                // Back: a whole collection runs, and so does one the collector stops early.
                assertThat(policed.holdFeed(CompletableDeferred(Unit)).toList()).containsExactly(1, 2)
                assertThat(policed.holdFeed(CompletableDeferred(Unit)).first()).isEqualTo(1)
                assertThat(policed.entered()).isEqualTo(3)
                assertThat(bulkhead.metrics().concurrentCalls()).isZero()
                assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1)
            }
        }
    }
}
