package dev.fusebox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * What the integrations need to know about one kind of policy to publish it with no code of their own: its
 * identifier in paths and meter names, and the numbers every instance exposes. Micrometer turns each
 * {@link Measure} into a meter, the dashboard into a figure and a chart series, the actuator endpoints
 * into a field; every {@link PolicyRegistry} carries the kind of its policies ({@link PolicyRegistry#kind()}).
 *
 * <pre>{@code
 * static final PolicyKind<Hedge> KIND = PolicyKind.builder("hedge", "hedges", Hedge::name)
 *     .counter("fusebox.hedge.calls", "primary", "Calls by who answered first", h -> h.metrics().primaryWins())
 *     .counter("fusebox.hedge.calls", "hedged", "Calls by who answered first", h -> h.metrics().hedgeWins())
 *     .gauge("fusebox.hedge.in.flight", "calls", "Hedged requests running now", h -> h.metrics().inFlight())
 *     .build();
 * }</pre>
 *
 * <p>Every measure reads the policy when it is asked (a metrics scrape, a dashboard tick), never on the call
 * path. Counters must never decrease. Instances are immutable and threadsafe.
 *
 * @param <P> the policy type
 */
public final class PolicyKind<P> {

  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*");

  /**
   * One number an instance exposes.
   *
   * @param meterName the meter's name, dotted, for instance {@code fusebox.retry.calls}
   * @param type how to read it
   * @param tags the tags that tell apart the measures of one meter name (mostly {@code kind}, as in
   *     {@code kind=failed}); empty when the name has one measure
   * @param baseUnit the unit, such as {@code calls}, or {@code null}; time gauges are in nanoseconds
   * @param description what it counts; every measure of one meter name shares one description
   * @param value reads the number from an instance ({@code NaN} when it has none yet)
   * @param <P> the policy type
   */
  public record Measure<P>(
      String meterName,
      Type type,
      Map<String, String> tags,
      String baseUnit,
      String description,
      ToDoubleFunction<? super P> value) {

    /** How a measure reads. */
    public enum Type {
      /** A cumulative count since the instance was created; it never decreases. */
      COUNTER,
      /** A value as it is now. */
      GAUGE,
      /** A duration as it is now, in nanoseconds; {@code NaN} while unknown. */
      TIME_GAUGE
    }

    /**
     * Validates the measure.
     *
     * @param meterName the meter's name, dotted, for instance {@code fusebox.retry.calls}
     * @param type how to read it
     * @param tags the tags that tell apart the measures of one meter name (mostly {@code kind}, as in {@code
     *     kind=failed}); empty when the name has one measure
     * @param baseUnit the unit, such as {@code calls}, or {@code null}; time gauges are in nanoseconds
     * @param description what it counts; every measure of one meter name shares one description
     * @param value reads the number from an instance ({@code NaN} when it has none yet)
     * @throws NullPointerException if the name, type, description or reader is null
     * @throws IllegalArgumentException if the meter name is not dotted lower-case words
     */
    public Measure {
      Objects.requireNonNull(meterName, "meterName must not be null");
      Objects.requireNonNull(type, "type must not be null");
      tags = Map.copyOf(Objects.requireNonNull(tags, "tags must not be null"));
      Objects.requireNonNull(description, "description must not be null");
      Objects.requireNonNull(value, "value must not be null");
      if (!meterName.matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*")) {
        throw new IllegalArgumentException(
            "meterName must be dotted lower-case words such as fusebox.retry.calls, was '" + meterName + "'");
      }
    }

    /**
     * Reads the measure from an instance.
     *
     * @param policy the instance
     * @return its current value
     */
    public double read(P policy) {
      return value.applyAsDouble(policy);
    }

    /**
     * Returns the measure's name with its tags, such as {@code fusebox.retry.calls{kind=failed}}: unique
     * within a kind.
     *
     * @return the key
     */
    public String key() {
      if (tags.isEmpty()) {
        return meterName;
      }
      StringJoiner joined = new StringJoiner(",", meterName + "{", "}");
      new TreeMap<>(tags).forEach((k, v) -> joined.add(k + "=" + v));
      return joined.toString();
    }
  }

  private final String id;
  private final String plural;
  private final Function<? super P, String> nameOf;
  private final List<Measure<P>> measures;

  private PolicyKind(Builder<P> builder) {
    this.id = builder.id;
    this.plural = builder.plural;
    this.nameOf = builder.nameOf;
    this.measures = List.copyOf(builder.measures);
  }

  /**
   * Starts the description of a kind of policy.
   *
   * @param id the kind's identifier in paths and documents: lower-case letters and digits, such as
   *     {@code circuitbreaker}
   * @param plural how messages name several instances, such as {@code circuit breakers}
   * @param nameOf returns an instance's name
   * @param <P> the policy type
   * @return a builder
   * @throws IllegalArgumentException if the identifier is not lower-case letters and digits
   */
  public static <P> Builder<P> builder(String id, String plural, Function<? super P, String> nameOf) {
    return new Builder<>(id, plural, nameOf);
  }

  /**
   * Returns the kind's identifier in paths and documents, such as {@code circuitbreaker}.
   *
   * @return the identifier
   */
  public String id() {
    return id;
  }

  /**
   * Returns how messages name several instances, such as {@code circuit breakers}.
   *
   * @return the plural noun
   */
  public String plural() {
    return plural;
  }

  /**
   * Returns an instance's name.
   *
   * @param policy the instance
   * @return its name
   */
  public String nameOf(P policy) {
    return nameOf.apply(policy);
  }

  /**
   * Returns the numbers every instance exposes, in the order they were declared.
   *
   * @return the measures
   */
  public List<Measure<P>> measures() {
    return measures;
  }

  /**
   * Reads every measure of an instance, keyed by meter name and tags
   * ({@code fusebox.retry.calls{kind=failed_with_retry}}, or the bare name where there is no tag): a
   * snapshot for documents such as an actuator response.
   *
   * @param policy the instance
   * @return the values, in declaration order
   */
  public Map<String, Double> read(P policy) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (Measure<P> measure : measures) {
      values.put(measure.key(), measure.read(policy));
    }
    return values;
  }

  @Override
  public String toString() {
    return "PolicyKind[" + id + ", " + measures.size() + " measures]";
  }

  /**
   * Builds a {@link PolicyKind}. Not threadsafe.
   *
   * @param <P> the policy type
   */
  public static final class Builder<P> {
    private final String id;
    private final String plural;
    private final Function<? super P, String> nameOf;
    private final List<Measure<P>> measures = new ArrayList<>();

    private Builder(String id, String plural, Function<? super P, String> nameOf) {
      this.id = Objects.requireNonNull(id, "id must not be null");
      this.plural = Objects.requireNonNull(plural, "plural must not be null");
      this.nameOf = Objects.requireNonNull(nameOf, "nameOf must not be null");
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException("id must be lower-case letters and digits, was '" + id + "'");
      }
    }

    /**
     * Adds a cumulative count.
     *
     * @param meterName the meter's dotted name
     * @param kindTag the {@code kind} tag's value, or {@code null}
     * @param description what it counts
     * @param value reads it from an instance
     * @return this builder
     */
    public Builder<P> counter(String meterName, String kindTag, String description, ToDoubleFunction<? super P> value) {
      measures.add(new Measure<>(meterName, Measure.Type.COUNTER, kind(kindTag), null, description, value));
      return this;
    }

    /**
     * Adds a current value.
     *
     * @param meterName the meter's dotted name
     * @param baseUnit its unit, or {@code null}
     * @param description what it shows
     * @param value reads it from an instance
     * @return this builder
     */
    public Builder<P> gauge(String meterName, String baseUnit, String description, ToDoubleFunction<? super P> value) {
      measures.add(new Measure<>(meterName, Measure.Type.GAUGE, Map.of(), baseUnit, description, value));
      return this;
    }

    /**
     * Adds a measure with tags of its own, such as a gauge per state ({@code state=open}).
     *
     * @param meterName the meter's dotted name
     * @param type how it reads
     * @param tags the tags that tell it apart from the other measures of its name
     * @param baseUnit its unit, or {@code null}
     * @param description what the meter name shows
     * @param value reads it from an instance
     * @return this builder
     */
    public Builder<P> measure(
        String meterName,
        Measure.Type type,
        Map<String, String> tags,
        String baseUnit,
        String description,
        ToDoubleFunction<? super P> value) {
      measures.add(new Measure<>(meterName, type, tags, baseUnit, description, value));
      return this;
    }

    /**
     * Adds a current duration; empty reads as {@code NaN}.
     *
     * @param meterName the meter's dotted name
     * @param kindTag the {@code kind} tag's value, or {@code null}
     * @param description what it shows
     * @param value reads it from an instance
     * @return this builder
     */
    public Builder<P> timeGauge(
        String meterName, String kindTag, String description, Function<? super P, Optional<Duration>> value) {
      Objects.requireNonNull(value, "value must not be null");
      measures.add(
          new Measure<>(
              meterName,
              Measure.Type.TIME_GAUGE,
              kind(kindTag),
              null,
              description,
              p -> value.apply(p).map(d -> (double) d.toNanos()).orElse(Double.NaN)));
      return this;
    }

    private static Map<String, String> kind(String kindTag) {
      return kindTag == null ? Map.of() : Map.of("kind", kindTag);
    }

    /**
     * Builds the kind.
     *
     * @return the immutable kind
     */
    public PolicyKind<P> build() {
      Set<String> keys = new HashSet<>();
      for (Measure<P> measure : measures) {
        if (!keys.add(measure.key())) {
          throw new IllegalArgumentException("measures must differ by name or tags; twice: " + measure.key());
        }
      }
      return new PolicyKind<>(this);
    }
  }
}
