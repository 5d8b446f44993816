package dev.fusebox.spring.annotation

import dev.fusebox.bulkhead.BulkheadRegistry
import dev.fusebox.circuitbreaker.CallNotPermittedException
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry
import dev.fusebox.spring.FuseboxAutoConfiguration
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import reactor.core.publisher.Mono

/**
 * The annotations on Kotlin suspend functions act per call, when the coroutine calls, and on a Flow per
 * collection: Spring calls a suspend function as a Mono, which the Reactor operators guard.
 */
class SuspendAnnotationsTest {

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration::class.java))
        .withBean("stock", Stock::class.java)
        .withPropertyValues(
            "fusebox.circuitbreaker.instances.stock.consecutive-failure-threshold=5",
            "fusebox.circuitbreaker.instances.stock.wait-duration-in-open-state=1h",
            "fusebox.retry.instances.flaky.max-attempts=3",
            "fusebox.retry.instances.flaky.wait-duration=20ms",
            "fusebox.bulkhead.instances.slots.max-concurrent-calls=1",
        )

    /** Open, as Spring's class proxy needs; its counters are read through open methods, which reach the bean. */
    open class Stock {
        private val calls = AtomicInteger()
        private val attempts = AtomicInteger()
        private val cancelled = AtomicInteger()

        open fun calls(): Int = calls.get()

        open fun attempts(): Int = attempts.get()

        open fun cancelled(): Int = cancelled.get()

        @CircuitBreaker(name = "stock")
        open suspend fun level(sku: String): Int {
            delay(1)
            calls.incrementAndGet()
            check(sku != "missing") { "no such sku" }
            return 7
        }

        @CircuitBreaker(name = "guarded", fallbackMethod = "noLevel")
        open suspend fun guardedLevel(sku: String): Int {
            delay(1)
            throw IllegalStateException("warehouse down: $sku")
        }

        private suspend fun noLevel(sku: String, e: IllegalStateException): Int {
            delay(1)
            return if (e.message == "warehouse down: $sku") -1 else -2
        }

        @Retry(name = "flaky")
        open suspend fun flaky(): String {
            delay(10)
            check(attempts.incrementAndGet() >= 3) { "not yet" }
            return "ok"
        }

        @Bulkhead(name = "slots")
        open suspend fun slow(): String {
            try {
                delay(10_000)
                return "late"
            } finally {
                cancelled.incrementAndGet()
            }
        }

        @CircuitBreaker(name = "feed")
        open fun feed(n: Int): Flow<Int> = flow {
            calls.incrementAndGet()
            for (i in 1..n) {
                emit(i)
            }
            check(n > 0) { "empty feed" }
        }

        @CircuitBreaker(name = "cut", fallbackMethod = "rest")
        open fun cutFeed(): Flow<Int> = flow {
            emit(1)
            throw IllegalStateException("cut")
        }

        private fun rest(e: IllegalStateException): Flow<Int> = flowOf(-1)

        @CircuitBreaker(name = "later")
        open suspend fun feedLater(n: Int): Flow<Int> {
            delay(1)
            return flowOf(*Array(n) { it + 1 })
        }
    }

    /** A suspend function whose fallback is not one: the fallback must be suspend as well. */
    open class BlockingFallback {
        @CircuitBreaker(name = "wrong", fallbackMethod = "other")
        open suspend fun call(): String = "fine"

        fun other(e: Throwable): String = "fallback"
    }

    /** A suspend function returning a Mono: Spring would await it in a way of its own, so it is refused. */
    open class SuspendMono {
        @CircuitBreaker(name = "mono")
        open suspend fun call(): Mono<String> = Mono.just("x")
    }

    @Test
    fun aSuspendCallIsRecordedWhenItEnds() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            val breaker = context.getBean(CircuitBreakerRegistry::class.java).circuitBreaker("stock")
            runBlocking {
                assertThat(stock.level("a")).isEqualTo(7)
                }
            assertThatThrownBy { runBlocking { stock.level("missing") } }
                .isInstanceOf(IllegalStateException::class.java).hasMessage("no such sku")
            assertThat(stock.calls()).isEqualTo(2)
            assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
            assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1)
        }
    }

    @Test
    fun anOpenBreakerRejectsWithoutRunningTheBody() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            context.getBean(CircuitBreakerRegistry::class.java).circuitBreaker("stock").transitionToOpenState()
            assertThatThrownBy { runBlocking { stock.level("a") } }.isInstanceOf(CallNotPermittedException::class.java)
            assertThat(stock.calls()).isZero()
        }
    }

    @Test
    fun aSuspendFallbackAnswers() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            assertThat(runBlocking { stock.guardedLevel("a") }).isEqualTo(-1)
            assertThat(context.getBean(CircuitBreakerRegistry::class.java).circuitBreaker("guarded").metrics()
                .numberOfFailedCalls()).isEqualTo(1)
        }
    }

    @Test
    fun aRetryCallsAgainWithoutBlockingTheThread() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            val ticks = AtomicInteger()
            // One thread for the caller and the ticker: if an attempt or the wait between two blocked it,
            // the ticker could not run meanwhile.
            val result = runBlocking {
                val ticker = launch {
                    while (true) {
                        delay(5)
                        ticks.incrementAndGet()
                    }
                }
                try {
                    stock.flaky()
                } finally {
                    ticker.cancel()
                }
            }
            assertThat(result).isEqualTo("ok")
            assertThat(stock.attempts()).isEqualTo(3)
            assertThat(ticks.get()).isGreaterThan(2)
        }
    }

    @Test
    fun cancellingTheCoroutineGivesTheBulkheadPermitBack() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            val bulkhead = context.getBean(BulkheadRegistry::class.java).bulkhead("slots")
            assertThatThrownBy { runBlocking { withTimeout(100) { stock.slow() } } }
                .isInstanceOf(TimeoutCancellationException::class.java)
            assertThat(stock.cancelled()).isEqualTo(1)
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1)
            assertThat(bulkhead.metrics().concurrentCalls()).isZero()
        }
    }

    @Test
    fun aFlowIsOneCallRecordedAtItsEnd() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            // Read anew after each step: metrics() is a snapshot.
            val breaker = context.getBean(CircuitBreakerRegistry::class.java).circuitBreaker("feed")
            val feed = stock.feed(3)
            // Calling is not collecting.
            assertThat(stock.calls()).isZero()
            assertThat(breaker.metrics().numberOfBufferedCalls()).isZero()

            assertThat(runBlocking { feed.toList() }).containsExactly(1, 2, 3)
            assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1)

            // Collection stopped early by the collector: neither a success nor a failure.
            assertThat(runBlocking { stock.feed(3).first() }).isEqualTo(1)
            assertThat(breaker.metrics().numberOfBufferedCalls()).isEqualTo(1)

            assertThatThrownBy { runBlocking { stock.feed(0).toList() } }
                .isInstanceOf(IllegalStateException::class.java).hasMessage("empty feed")
            assertThat(breaker.metrics().numberOfFailedCalls()).isEqualTo(1)
            assertThat(stock.calls()).isEqualTo(3)
        }
    }

    @Test
    fun aFlowFallbackTakesOverWhereTheFlowFailed() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            assertThat(runBlocking { stock.cutFeed().toList() }).containsExactly(1, -1)
            assertThat(context.getBean(CircuitBreakerRegistry::class.java).circuitBreaker("cut").metrics()
                .numberOfFailedCalls()).isEqualTo(1)
        }
    }

    @Test
    fun aSuspendFunctionReturningAFlowIsRecordedWhenTheFlowEnds() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            val breaker = context.getBean(CircuitBreakerRegistry::class.java).circuitBreaker("later")
            val feed = runBlocking { stock.feedLater(2) }
            assertThat(breaker.metrics().numberOfBufferedCalls()).isZero()
            assertThat(runBlocking { feed.toList() }).containsExactly(1, 2)
            assertThat(breaker.metrics().numberOfSuccessfulCalls()).isEqualTo(1)
        }
    }

    @Test
    fun failsStartUpForAFallbackThatIsNotSuspend() {
        runner.withBean("wrong", BlockingFallback::class.java).run { context ->
            assertThat(context.startupFailure).rootCause().hasMessageContaining("does not match")
                .hasMessageContaining("expected suspend other(Throwable or a subtype) returning java.lang.String")
        }
    }

    @Test
    fun failsStartUpForASuspendFunctionReturningAPublisher() {
        runner.withBean("mono", SuspendMono::class.java).run { context ->
            assertThat(context.startupFailure).rootCause()
                .hasMessageContaining("is a suspend function returning reactor.core.publisher.Mono")
        }
    }
}
