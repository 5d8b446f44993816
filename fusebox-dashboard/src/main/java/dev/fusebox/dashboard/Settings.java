package dev.fusebox.dashboard;

import dev.fusebox.Ticker;
import dev.fusebox.circuitbreaker.CircuitBreakerRegistry;
import dev.fusebox.observability.EventHistory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The options of one dashboard handler, validated by {@link Dashboard.Builder}.
 *
 * @param breakers the circuit breakers to show, or null for none
 * @param token the token that controls (and, when {@code readNeedsToken}, reads) require
 * @param readNeedsToken whether reading the data needs the token
 * @param allowedHosts the host names a browser may reach the dashboard by; empty for any
 * @param basePath empty, or a path starting with a slash and not ending with one
 * @param eventHistory a history the application owns, or null for the dashboard's own
 * @param sampling whether a thread of the handler samples every {@code samplingInterval}; tests sample by
 *     hand
 * @param panels the panels after the breakers', in the order the page shows them; each is built with the
 *     history size and the number of events per instance
 * @param statusCards the suppliers of the application's status cards
 * @param fleet the fleet of the breakers when they are shared through Redis, or null
 */
record Settings(
    CircuitBreakerRegistry breakers,
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
    boolean sampling,
    List<BiFunction<Integer, Integer, Panel>> panels,
    List<Supplier<StatusCard>> statusCards,
    FleetSection fleet) {}
