package dev.fusebox.demo;

import dev.fusebox.chaos.ChaosSettings;
import dev.fusebox.demo.Options.Phase;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The live demo's automatic story, so that a newcomer sees a breaker trip and recover without touching
 * anything: healthy for a few seconds, an outage, then healthy for good.
 *
 * <p>The story never fights the reader: before each step it checks that the upstream's chaos settings are
 * still the ones it set last. If anyone changed them (a click on the dashboard's chaos card), the story
 * ends there and the controls are the reader's alone. Threadsafe.
 */
final class Story implements AutoCloseable {

  private final DemoApp app;
  private final List<Phase> phases;
  private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1, Threads.daemons("story"));
  private volatile ChaosSettings lastSet;
  private volatile boolean over;

  Story(DemoApp app, List<Phase> phases) {
    this.app = app;
    this.phases = phases;
  }

  void start() {
    long at = 0;
    for (int i = 0; i < phases.size(); i++) {
      int index = i;
      timer.schedule(() -> step(index), at, TimeUnit.MILLISECONDS);
      at += phases.get(i).duration().toMillis();
    }
  }

  /** Ends the story if someone else changed the upstream's settings; returns whether it is over. */
  boolean check() {
    if (!over && lastSet != null && app.policies.upstreamChaos().settings() != lastSet) {
      over = true;
      timer.shutdownNow();
      app.phase("your controls");
      app.notes.add("story: you changed the upstream's chaos settings, so the story stops here: the controls are yours");
    }
    return over;
  }

  private void step(int index) {
    if (check()) {
      return;
    }
    Phase phase = phases.get(index);
    app.apply(phase.name());
    lastSet = app.policies.upstreamChaos().settings();
    String next = index + 1 < phases.size() ? " for " + Demo.human(phase.duration()) : "";
    app.phase("story, " + phase.name());
    app.notes.add("story: upstream " + switch (phase.name()) {
      case "outage" -> "OUTAGE" + next + ": it stops answering; watch the breaker open";
      case "recovery" -> "HEALTHY again: the breaker's health probe sees it within a second and lets trials"
          + " through before the open wait is over; watch the breaker try, close and ramp up";
      default -> "healthy" + next;
    });
    if (index == phases.size() - 1) {
      over = true;
      app.notes.add("story: over. Start your own outage with the chaos card's buttons");
    }
  }

  boolean over() {
    return over;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
