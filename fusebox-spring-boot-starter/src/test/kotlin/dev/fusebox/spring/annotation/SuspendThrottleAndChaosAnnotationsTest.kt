package dev.fusebox.spring.annotation

import dev.fusebox.chaos.ChaosRegistry
import dev.fusebox.chaos.InjectedFaultException
import dev.fusebox.spring.FuseboxAutoConfiguration
import dev.fusebox.spring.chaos.ChaosCustomizer
import dev.fusebox.spring.throttle.AdaptiveThrottleCustomizer
import dev.fusebox.testing.ManualScheduler
import dev.fusebox.testing.ManualTicker
import dev.fusebox.throttle.AdaptiveThrottleRegistry
import dev.fusebox.throttle.CallThrottledException
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import java.util.random.RandomGenerator
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * `@AdaptiveThrottle` and `@Chaos` on Kotlin suspend functions act per call, through the Reactor operators
 * Spring's Mono call goes through, and on a Flow per collection, through fusebox-kotlin's operators.
 */
class SuspendThrottleAndChaosAnnotationsTest {

    private val time = ManualScheduler(ManualTicker())

    /** The throttle draws 0 every time: a call is shed as soon as the rejection probability is above 0. */
    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration::class.java))
        .withBean("stock", Stock::class.java)
        .withBean(AdaptiveThrottleCustomizer::class.java, { AdaptiveThrottleCustomizer { _, b -> b.random(RandomGenerator { 0L }) } })
        .withBean(ChaosCustomizer::class.java, { ChaosCustomizer { _, b -> b.scheduler(time) } })
        .withPropertyValues(
            "fusebox.adaptive-throttle.configs.default.k=2",
            "fusebox.adaptive-throttle.configs.default.minimum-number-of-requests=1",
            "fusebox.chaos.instances.faulty.fault-rate=1",
            "fusebox.chaos.instances.slow.latency-rate=1",
            "fusebox.chaos.instances.slow.latency=2s",
        )

    /** Open, as Spring's class proxy needs; its counter is read through an open method, which reaches the bean. */
    open class Stock {
        private val calls = AtomicInteger()

        open fun calls(): Int = calls.get()

        @AdaptiveThrottle(name = "level", fallbackMethod = "cached")
        open suspend fun level(sku: String): Int {
            delay(1)
            calls.incrementAndGet()
            check(sku != "missing") { "no such sku" }
            return 7
        }

        private suspend fun cached(sku: String, e: CallThrottledException): Int {
            delay(1)
            return -1
        }

        @AdaptiveThrottle(name = "feed")
        open fun feed(fail: Boolean): Flow<Int> = flow {
            calls.incrementAndGet()
            emit(1)
            check(!fail) { "feed down" }
        }

        @Chaos(name = "faulty")
        open suspend fun faulty(): String {
            calls.incrementAndGet()
            return "real"
        }

        @Chaos(name = "slow")
        open fun slowFeed(): Flow<Int> = flow {
            calls.incrementAndGet()
            emit(1)
            emit(2)
        }

        @Chaos(name = "slow")
        open suspend fun slowLevel(): Int {
            calls.incrementAndGet()
            return 3
        }
    }

    @Test
    fun aSuspendCallIsRecordedAndAShedCallNeverRunsTheBodyButTheFallbackAnswers() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            assertThat(runBlocking { stock.level("a") }).isEqualTo(7)
            assertThatThrownBy { runBlocking { stock.level("missing") } }
                .isInstanceOf(IllegalStateException::class.java).hasMessage("no such sku")
            assertThatThrownBy { runBlocking { stock.level("missing") } }.isInstanceOf(IllegalStateException::class.java)
            // Three requests, one accepted: (3 - 2 * 1) / (3 + 1) > 0, and the draw is 0.
            assertThat(runBlocking { stock.level("a") }).isEqualTo(-1)

            assertThat(stock.calls()).isEqualTo(3)
            val metrics = context.getBean(AdaptiveThrottleRegistry::class.java).adaptiveThrottle("level").metrics()
            assertThat(metrics.totalAccepts()).isEqualTo(1)
            assertThat(metrics.totalFailedRequests()).isEqualTo(2)
            assertThat(metrics.totalRejectedRequests()).isEqualTo(1)
        }
    }

    @Test
    fun aFlowIsThrottledPerCollection() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            val failing = stock.feed(true)
            assertThatThrownBy { runBlocking { failing.toList() } }.hasMessage("feed down")
            assertThatThrownBy { runBlocking { stock.feed(false).toList() } }
                .isInstanceOf(CallThrottledException::class.java)

            assertThat(stock.calls()).isEqualTo(1)
            assertThat(context.getBean(AdaptiveThrottleRegistry::class.java).adaptiveThrottle("feed").metrics()
                .totalFailedRequests()).isEqualTo(1)
        }
    }

    @Test
    fun chaosInjectsAFaultPerCallWithoutRunningTheBody() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            assertThatThrownBy { runBlocking { stock.faulty() } }.isInstanceOf(InjectedFaultException::class.java)
            assertThatThrownBy { runBlocking { stock.faulty() } }.isInstanceOf(InjectedFaultException::class.java)

            assertThat(stock.calls()).isZero()
            assertThat(context.getBean(ChaosRegistry::class.java).chaos("faulty").metrics().numberOfInjectedFaults())
                .isEqualTo(2)
        }
    }

    @Test
    fun chaosDelaysEachCallAndCollectionWithoutBlocking() {
        runner.run { context ->
            val stock = context.getBean(Stock::class.java)
            val results = runBlocking {
                withTimeout(5_000) {
                    val level = async { stock.slowLevel() }
                    val feed = async { stock.slowFeed().toList() }
                    while (time.pending() < 2) {
                        delay(1)
                    }
                    assertThat(stock.calls()).isZero()
                    time.advance(Duration.ofSeconds(2))
                    level.await() to feed.await()
                }
            }

            assertThat(results).isEqualTo(3 to listOf(1, 2))
            assertThat(stock.calls()).isEqualTo(2)
            assertThat(context.getBean(ChaosRegistry::class.java).chaos("slow").metrics().numberOfInjectedLatencies())
                .isEqualTo(2)
        }
    }
}
