package dev.fusebox.dashboard;

import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.EventHistory;
import java.time.Duration;
import java.util.Set;

/**
 * The options of one dashboard handler, validated by {@link Dashboard.Builder}.
 *
 * @param token the token that controls (and, when {@code readNeedsToken}, reads) require
 * @param readNeedsToken whether reading the data needs the token
 * @param allowedHosts the host names a browser may reach the dashboard by; empty for any
 * @param basePath empty, or a path starting with a slash and not ending with one
 * @param eventHistory a history the application owns, or null for the dashboard's own
 * @param sampling whether a thread of the handler samples every {@code samplingInterval}; tests sample by
 *     hand
 */
record Settings(
    CircuitBreakerRegistry registry,
    String token,
    boolean readNeedsToken,
    Set<String> allowedHosts,
    String basePath,
    Duration samplingInterval,
    int historySize,
    int eventsPerBreaker,
    int maxStreams,
    Duration keepAlive,
    Ticker ticker,
    EventHistory eventHistory,
    boolean sampling) {}
