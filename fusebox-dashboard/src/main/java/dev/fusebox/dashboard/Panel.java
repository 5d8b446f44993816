package dev.fusebox.dashboard;

import java.util.List;

/**
 * One kind of policy on the dashboard: circuit breakers, retries, bulkheads, rate limiters, time limiters,
 * chaos policies, any other kind of policy ({@link MeasurePanel}), and the application's status cards. Each is a section of the JSON documents and of the
 * page, all of the same shape ({@code kind}, {@code title}, {@code actions}, {@code instances}).
 *
 * <p>A panel turns its registry's instances into JSON objects and carries out the actions the page offers
 * for them. {@link #sample} and {@link #writeNewEvents} are called by the sampler thread only, one tick at a
 * time; every other method may be called by any thread at any time. Implementations must be threadsafe in
 * that sense.
 */
interface Panel extends AutoCloseable {

  /** What {@link #control} did. */
  enum Outcome {
    DONE,
    NO_SUCH_INSTANCE,
    NO_SUCH_ACTION
  }

  /** Returns the kind's identifier in paths and documents, such as {@code circuitbreaker}. */
  String kind();

  /** Returns the section's title on the page. */
  String title();

  /** Returns the actions an instance offers, in the order the page shows them. */
  List<String> actions();

  /**
   * Writes members of the section beyond {@code kind}, {@code title} and {@code actions}: what a page needs
   * to show a kind it was not written for. Nothing by default.
   */
  default void writeDescription(JsonWriter json) {}

  /** Records one sample per instance: called once per tick, with the ticker's reading. */
  void sample(long tick, long nanos);

  /** Writes an array of every instance, sorted by name; with their sample history if asked. */
  void writeInstances(JsonWriter json, boolean withHistory);

  /** Writes one instance; returns false, having written nothing, if there is none of that name. */
  boolean writeInstance(String name, JsonWriter json, boolean withHistory);

  /** Writes, as array elements, the events recorded since the previous call; returns how many. */
  int writeNewEvents(JsonWriter json);

  /**
   * Carries out an action on an instance, with the parameters of the request's JSON body (empty when it
   * had none).
   *
   * @throws IllegalArgumentException if the parameters are unknown or out of range; nothing has changed
   */
  Outcome control(String name, String action, ControlInput input);

  /** Stops following the registry. Idempotent. */
  @Override
  void close();
}
