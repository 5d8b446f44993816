package dev.fusebox.redis;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What fusebox-redis logs while this is open: every record of the {@code dev.fusebox.redis} logger, for
 * tests that check what an operator is told. Close it to stop listening.
 */
final class Logged implements AutoCloseable {

  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger("dev.fusebox.redis");
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  Logged() {
    logger.addHandler(handler);
  }

  /** The records whose message pattern contains {@code phrase}. */
  List<LogRecord> containing(String phrase) {
    return records.stream().filter(r -> r.getMessage().contains(phrase)).toList();
  }

  /** A record's message with its parameters in place, as a log line would show it. */
  static String format(LogRecord record) {
    return new MessageFormat(record.getMessage(), Locale.ROOT).format(record.getParameters());
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
