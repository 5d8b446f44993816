package dev.fusebox.demo;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The demo's log of what happened, for people: the story's steps and the breaker's transitions, with the
 * time of day, kept for the dashboard's status card (the latest few) and printed to the console when there
 * is one. Lock-free: the list is immutable and replaced by CAS. Threadsafe.
 */
final class StoryLog {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final int KEPT = 8;

  private final AtomicReference<List<String>> latest = new AtomicReference<>(List.of());
  private final PrintStream console;

  /** @param console where notes are printed as they come, or null */
  StoryLog(PrintStream console) {
    this.console = console;
  }

  void add(String text) {
    String line = LocalTime.now(ZoneId.systemDefault()).format(TIME) + "  " + text;
    latest.updateAndGet(list -> {
      List<String> next = new ArrayList<>(list);
      next.add(line);
      return List.copyOf(next.subList(Math.max(0, next.size() - KEPT), next.size()));
    });
    if (console != null) {
      console.println("  " + line);
    }
  }

  List<String> latest() {
    return latest.get();
  }
}
