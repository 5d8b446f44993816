package dev.fusebox.dashboard;

import dev.fusebox.retry.Retry;
import dev.fusebox.retry.RetryRegistry;
import java.util.List;

/**
 * The retries of a registry: calls per second, the retries they took, and the calls that failed in the
 * end; the configuration that matters to a reader (attempts, first wait).
 */
final class RetryPanel extends PolicyPanel<Retry> {

  RetryPanel(RetryRegistry registry, int historySize, int eventsPerInstance) {
    super("retry", "Retries", registry::all, registry::find, Retry::name,
        List.of(Series.rate("calls"), Series.rate("retries"), Series.rate("failed")), historySize, eventsPerInstance);
  }

  @Override
  void read(Retry retry, double[] into) {
    Retry.Metrics m = retry.metrics();
    long failed = m.numberOfFailedCallsWithoutRetryAttempt() + m.numberOfFailedCallsWithRetryAttempt();
    into[0] = m.numberOfSuccessfulCallsWithoutRetryAttempt() + m.numberOfSuccessfulCallsWithRetryAttempt() + failed;
    into[1] = m.numberOfTotalRetryAttempts();
    into[2] = failed;
  }

  @Override
  void writeFields(Retry retry, JsonWriter json) {
    Retry.Metrics m = retry.metrics();
    json.field("maxAttempts", retry.config().maxAttempts())
        .field("waitDurationMillis", retry.config().waitDuration().toNanos() / 1e6)
        .name("totals").beginObject()
        .field("successfulWithoutRetry", m.numberOfSuccessfulCallsWithoutRetryAttempt())
        .field("successfulWithRetry", m.numberOfSuccessfulCallsWithRetryAttempt())
        .field("failedWithoutRetry", m.numberOfFailedCallsWithoutRetryAttempt())
        .field("failedWithRetry", m.numberOfFailedCallsWithRetryAttempt())
        .field("retryAttempts", m.numberOfTotalRetryAttempts())
        .field("budgetExhausted", m.numberOfBudgetExhaustedCalls())
        .endObject();
  }
}
