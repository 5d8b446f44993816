/**
 * Fusebox for RxJava 3: an operator per policy for {@code Flowable}, {@code Observable}, {@code Single},
 * {@code Maybe} and {@code Completable}, applied with {@code compose}. See
 * {@link dev.fusebox.rxjava3.CircuitBreakerOperator}.
 */
module dev.fusebox.rxjava3 {
  requires transitive dev.fusebox.core;
  requires transitive io.reactivex.rxjava3;
  requires transitive org.reactivestreams;

  exports dev.fusebox.rxjava3;
}
