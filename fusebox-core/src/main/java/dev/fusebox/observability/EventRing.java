package dev.fusebox.observability;

import dev.fusebox.circuitbreaker.CircuitBreakerEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@code capacity} events of one breaker.
 *
 * <p>Design note. A writer claims a sequence number with one {@code getAndIncrement} on {@link #next},
 * then stores its event, tagged with that number, in slot {@code sequence % capacity}. Writers never wait
 * for each other: claiming is wait-free, and storing is a CAS that only retries while an older entry sits
 * in the slot, and gives up when a newer one does. So a slot always ends up holding the newest entry ever
 * claimed for it, and once writers are quiet the ring holds exactly the last {@code min(recorded,
 * capacity)} events. A reader reads {@link #next} (a volatile read), then the slots of the last
 * {@code capacity} sequence numbers, keeping an entry only if it carries the number expected there: a slot
 * whose writer has claimed but not yet stored, or that a faster writer has already lapped, is skipped
 * rather than shown out of order. A snapshot taken during writes can therefore miss an event in flight,
 * never show one twice or out of sequence. The {@link AtomicReferenceArray} gives each slot volatile
 * semantics, so a reader that sees an entry sees the event it points to fully built.
 *
 * <p>Memory is fixed at construction: {@code capacity} slots, each holding at most one entry.
 *
 * <p>This class is threadsafe.
 */
final class EventRing {

  /** An event and the sequence number it was recorded under. */
  private record Entry(long sequence, CircuitBreakerEvent event) {}

  private final int capacity;
  private final AtomicReferenceArray<Entry> slots;
  private final AtomicLong next = new AtomicLong();

  EventRing(int capacity) {
    this.capacity = capacity;
    this.slots = new AtomicReferenceArray<>(capacity);
  }

  void add(CircuitBreakerEvent event) {
    long sequence = next.getAndIncrement();
    int index = (int) (sequence % capacity);
    Entry entry = new Entry(sequence, event);
    for (;;) {
      Entry current = slots.get(index);
      if (current != null && current.sequence > sequence) {
        return; // lapped by a newer writer while this one was between claiming and storing
      }
      if (slots.compareAndSet(index, current, entry)) {
        return;
      }
    }
  }

  /** Returns the events held, oldest first; an unmodifiable list. */
  List<CircuitBreakerEvent> snapshot() {
    long end = next.get();
    long start = Math.max(0, end - capacity);
    List<CircuitBreakerEvent> events = new ArrayList<>((int) (end - start));
    for (long sequence = start; sequence < end; sequence++) {
      Entry entry = slots.get((int) (sequence % capacity));
      if (entry != null && entry.sequence == sequence) {
        events.add(entry.event);
      }
    }
    return Collections.unmodifiableList(events);
  }

  /** Returns how many events were ever recorded here, overwritten ones included. */
  long recorded() {
    return next.get();
  }

  int capacity() {
    return capacity;
  }

  /** Returns how many slots hold an event; for tests of the memory bound. */
  int occupiedSlots() {
    int occupied = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        occupied++;
      }
    }
    return occupied;
  }

  int slotCount() {
    return slots.length();
  }
}
