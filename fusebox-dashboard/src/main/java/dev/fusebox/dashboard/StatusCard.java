package dev.fusebox.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A card of facts about the application itself, which the dashboard shows above the policies and sums up
 * as a badge in its header: whether the breakers are shared by a fleet and with whom, what a demo is doing,
 * which build is running. The application supplies it ({@link Dashboard.Builder#status}); the dashboard
 * asks for a fresh one every time it shows the page or sends a sample.
 *
 * <pre>{@code
 * Dashboard.builder(registry)
 *     .status(() -> StatusCard.of("Fleet", shared.mode().name(),
 *             shared.mode() == RedisSharedState.Mode.SHARED ? StatusCard.Tone.GOOD : StatusCard.Tone.WARNING)
 *         .withFact("Instance", shared.instanceId())
 *         .withNote("12:00:03 SHARED -> DEGRADED: connection refused"))
 *     .start();
 * }</pre>
 *
 * @param title the card's title, unique among the dashboard's status cards
 * @param state one short word or phrase, shown in the badge, such as {@code SHARED}
 * @param tone how the state is coloured: never the only sign, since the state is written out
 * @param facts labelled values, in order
 * @param notes lines of text, oldest first, such as the latest events
 */
public record StatusCard(String title, String state, Tone tone, List<Fact> facts, List<String> notes) {

  /** How a state is coloured on the page. */
  public enum Tone {
    /** Nothing to say either way. */
    NEUTRAL,
    /** All is well. */
    GOOD,
    /** Worth a look. */
    WARNING,
    /** Something is wrong. */
    BAD
  }

  /**
   * One labelled value.
   *
   * @param label what the value is, such as {@code Instance}
   * @param value the value, as the page shows it
   */
  public record Fact(String label, String value) {
    /**
     * Rejects nulls.
     *
     * @param label what the value is, such as {@code Instance}
     * @param value the value, as the page shows it
     */
    public Fact {
      Objects.requireNonNull(label, "label must not be null");
      Objects.requireNonNull(value, "value must not be null");
    }
  }

  /**
   * Rejects nulls and copies the lists.
   *
   * @param title the card's title
   * @param state the state shown in the badge
   * @param tone how the state is coloured
   * @param facts labelled values, in order, copied
   * @param notes lines of text, oldest first, copied
   */
  public StatusCard {
    Objects.requireNonNull(title, "title must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Objects.requireNonNull(tone, "tone must not be null");
    facts = List.copyOf(facts);
    notes = List.copyOf(notes);
  }

  /**
   * Returns a card with a state and no facts or notes yet.
   *
   * @param title the card's title
   * @param state the state shown in the badge
   * @param tone how the state is coloured
   * @return a card without facts or notes
   */
  public static StatusCard of(String title, String state, Tone tone) {
    return new StatusCard(title, state, tone, List.of(), List.of());
  }

  /**
   * Returns this card with one more fact.
   *
   * @param label what the value is
   * @param value the value, as the page shows it
   * @return a new card: this one's content and the fact at the end
   */
  public StatusCard withFact(String label, String value) {
    List<Fact> more = new ArrayList<>(facts);
    more.add(new Fact(label, value));
    return new StatusCard(title, state, tone, more, notes);
  }

  /**
   * Returns this card with one more note.
   *
   * @param note a line of text
   * @return a new card: this one's content and the note at the end
   */
  public StatusCard withNote(String note) {
    Objects.requireNonNull(note, "note must not be null");
    List<String> more = new ArrayList<>(notes);
    more.add(note);
    return new StatusCard(title, state, tone, facts, more);
  }
}
