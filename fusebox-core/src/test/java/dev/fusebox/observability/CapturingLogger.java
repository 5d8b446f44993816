package dev.fusebox.observability;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A {@link System.Logger} that keeps every line, for assertions. */
class CapturingLogger implements System.Logger {

  record Line(Level level, String message) {}

  private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();

  List<Line> lines() {
    return List.copyOf(lines);
  }

  List<String> messages() {
    return lines.stream().map(Line::message).toList();
  }

  @Override
  public String getName() {
    return "capturing";
  }

  @Override
  public boolean isLoggable(Level level) {
    return true;
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
    lines.add(new Line(level, message));
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    lines.add(new Line(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
  }
}
