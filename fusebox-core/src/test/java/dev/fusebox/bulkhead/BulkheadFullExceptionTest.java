package dev.fusebox.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class BulkheadFullExceptionTest {

  @Test
  void anIntegrationsRejectionReadsLikeTheBulkheadsOwnAndHasNoStackTrace() {
    Bulkhead bulkhead = Bulkhead.of("reports", BulkheadConfig.builder().maxConcurrentCalls(1).build());
    bulkhead.acquirePermission();
    BulkheadFullException own = catchThrowableOfType(BulkheadFullException.class, bulkhead::acquirePermission);

    BulkheadFullException made = BulkheadFullException.of("reports");

    assertThat(made).hasMessage(own.getMessage());
    assertThat(made.bulkheadName()).isEqualTo("reports");
    assertThat(made.interrupted()).isFalse();
    assertThat(made.getStackTrace()).isEmpty();
  }

  @Test
  void refusesANullName() {
    assertThatThrownBy(() -> BulkheadFullException.of(null))
        .isInstanceOf(NullPointerException.class).hasMessage("bulkheadName must not be null");
  }
}
