package dev.fusebox.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The application's {@link StatusCard}s, as the first section: one instance per card, read from its
 * supplier whenever a document is written, so it is as fresh as the page. A supplier that throws is shown
 * as a card in the state {@code UNAVAILABLE} naming the exception's class, never its message.
 */
final class StatusPanel implements Panel {

  static final String KIND = "status";

  private final List<Supplier<StatusCard>> cards;

  StatusPanel(List<Supplier<StatusCard>> cards) {
    this.cards = List.copyOf(cards);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String title() {
    return "Status";
  }

  @Override
  public List<String> actions() {
    return List.of();
  }

  @Override
  public void sample(long tick, long nanos) {}

  @Override
  public void writeInstances(JsonWriter json, boolean withHistory) {
    json.beginArray();
    for (StatusCard card : read()) {
      write(card, json);
    }
    json.endArray();
  }

  @Override
  public boolean writeInstance(String name, JsonWriter json, boolean withHistory) {
    for (StatusCard card : read()) {
      if (card.title().equals(name)) {
        write(card, json);
        return true;
      }
    }
    return false;
  }

  @Override
  public int writeNewEvents(JsonWriter json) {
    return 0;
  }

  @Override
  public Outcome control(String name, String action, ControlInput input) {
    return Outcome.NO_SUCH_ACTION;
  }

  @Override
  public void close() {}

  private List<StatusCard> read() {
    List<StatusCard> read = new ArrayList<>(cards.size());
    for (int i = 0; i < cards.size(); i++) {
      try {
        StatusCard card = cards.get(i).get();
        if (card != null) {
          read.add(card);
        }
      } catch (RuntimeException e) {
        read.add(StatusCard.of("Status " + (i + 1), "UNAVAILABLE", StatusCard.Tone.BAD)
            .withNote("its supplier threw " + e.getClass().getName()));
      }
    }
    return read;
  }

  private static void write(StatusCard card, JsonWriter json) {
    json.beginObject()
        .field("name", card.title())
        .field("state", card.state())
        .field("tone", card.tone().name().toLowerCase(Locale.ROOT))
        .name("facts").beginArray();
    for (StatusCard.Fact fact : card.facts()) {
      json.beginObject().field("label", fact.label()).field("value", fact.value()).endObject();
    }
    json.endArray().name("notes").beginArray();
    card.notes().forEach(json::value);
    json.endArray().name("rates").nullValue().name("events").beginArray().endArray().endObject();
  }
}
