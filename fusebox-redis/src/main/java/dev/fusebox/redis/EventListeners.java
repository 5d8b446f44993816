package dev.fusebox.redis;

import dev.fusebox.Subscription;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of a {@link RedisSharedState}'s events. Events are rare and published on the sync thread
 * only, so a copy-on-write list is enough; a listener that throws is logged and skipped.
 */
final class EventListeners {

  private static final System.Logger LOG = System.getLogger("dev.fusebox.redis");

  private final CopyOnWriteArrayList<Consumer<? super RedisSharedStateEvent>> listeners =
      new CopyOnWriteArrayList<>();

  Subscription subscribe(Consumer<? super RedisSharedStateEvent> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    // Wrapped, so that the same consumer subscribed twice is two entries, each removed by its own close.
    Consumer<RedisSharedStateEvent> entry = listener::accept;
    listeners.add(entry);
    return () -> listeners.remove(entry);
  }

  boolean isEmpty() {
    return listeners.isEmpty();
  }

  void publish(RedisSharedStateEvent event) {
    for (Consumer<? super RedisSharedStateEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        LOG.log(Level.WARNING, "A listener of " + event.type() + " events threw; it is skipped", e);
      }
    }
  }
}
