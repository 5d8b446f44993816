package dev.fusebox.spring.annotation

import dev.fusebox.spring.FuseboxAutoConfiguration
import kotlin.system.exitProcess
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flowOf
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner

/**
 * Run by [MissingLibraryStartupTest] in a child JVM whose class path lacks a library: starts a context with
 * the starter and one annotated Kotlin bean (`suspend` or `flow`, the first argument), then prints the
 * start-up failure's root message after [REFUSED] and exits with 2, or exits with 0 if the context started.
 * A child JVM, as no class loader of this one can hide a class from the loader of the annotated bean.
 */
object MissingLibraryApp {

    const val REFUSED = "FUSEBOX-REFUSED: "

    /** Open, as Spring's class proxy needs. */
    open class SuspendBean {
        @CircuitBreaker(name = "lonely")
        open suspend fun call(): String = "x"
    }

    open class FlowBean {
        @CircuitBreaker(name = "lonely")
        open fun feed(): Flow<Int> = flowOf(1)
    }

    @JvmStatic
    fun main(args: Array<String>) {
        val bean: Class<*> = when (args.single()) {
            "suspend" -> SuspendBean::class.java
            "flow" -> FlowBean::class.java
            else -> error("suspend or flow, not ${args.single()}")
        }
        var code = 0
        ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FuseboxAutoConfiguration::class.java))
            .withBean("lonely", bean)
            .run { context ->
                val failure = context.startupFailure
                if (failure != null) {
                    var root: Throwable = failure
                    while (root.cause != null && root.cause !== root) {
                        root = root.cause!!
                    }
                    println(REFUSED + root.message)
                    code = 2
                }
            }
        exitProcess(code)
    }
}
