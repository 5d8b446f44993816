package dev.fusebox.fallback;

import dev.fusebox.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The last successful answer per key, bounded in size and age.
 *
 * <p>Design note. Entries are immutable ({@code value, writtenAt}) and live in a {@link ConcurrentHashMap};
 * recording an answer is one {@code compute} on the map, the only lock being the map's own bin lock, held
 * for the time of an allocation. Readers never lock. Each key owns one queue {@link Node}, created with
 * its first entry and carried over by every later entry of that key; the node enters the FIFO
 * {@code order} queue once, by CAS on {@code queued}, so an updated key costs nothing but the map write.
 * Only inserting a new key past {@code maxSize} evicts, in "second chance" FIFO order: the node at the
 * head is evicted if its key has not been written since the node was (re)queued, or if its entry is older
 * than the maximum age; otherwise it goes back to the tail with the key's current entry. So a key that keeps
 * being refreshed is never the one evicted, and eviction is amortised constant time. Removal is a
 * conditional {@code remove(key, entry)}: a write racing with it wins, and the node is queued again. Several
 * threads inserting new keys at once may leave the map a few entries over {@code maxSize} until the next
 * insertion, or evict a few entries more than needed; the bound holds once they are done. Expired entries
 * are never served, and stay until evicted or overwritten, which keeps every entry's node in the queue.
 *
 * @param <T> the type of the cached values
 */
final class LastKnownGood<T> {

  /** A key's place in the eviction queue; {@code entry} is the entry current when it was last queued. */
  static final class Node {
    private static final VarHandle QUEUED;

    static {
      try {
        QUEUED = MethodHandles.lookup().findVarHandle(Node.class, "queued", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Object key;
    volatile Entry<?> entry;
    @SuppressWarnings("unused") // accessed through QUEUED
    private volatile boolean queued;

    Node(Object key) {
      this.key = key;
    }

    boolean claimQueueing() {
      return QUEUED.compareAndSet(this, false, true);
    }
  }

  /** One recorded answer. */
  static final class Entry<T> {
    final T value;
    final long writtenAt;
    final Node node;

    Entry(T value, long writtenAt, Node node) {
      this.value = value;
      this.writtenAt = writtenAt;
      this.node = node;
    }
  }

  private final ConcurrentHashMap<Object, Entry<T>> entries = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Node> order = new ConcurrentLinkedQueue<>();
  private final int maxSize;
  private final long maxAgeNanos;
  private final Ticker ticker;

  LastKnownGood(int maxSize, long maxAgeNanos, Ticker ticker) {
    this.maxSize = maxSize;
    this.maxAgeNanos = maxAgeNanos;
    this.ticker = ticker;
  }

  /** Records the latest answer for {@code key}. */
  void record(Object key, T value) {
    long now = ticker.nanos();
    Entry<T> entry =
        entries.compute(key, (k, previous) -> new Entry<>(value, now, previous == null ? new Node(k) : previous.node));
    Node node = entry.node;
    if (node.entry == null && node.claimQueueing()) {
      node.entry = entry;
      order.offer(node);
      if (entries.size() > maxSize) {
        evict(now);
      }
    }
  }

  /** Returns the entry for {@code key} if there is one no older than the maximum age, else null. */
  Entry<T> lookup(Object key, long now) {
    Entry<T> entry = entries.get(key);
    return entry != null && now - entry.writtenAt <= maxAgeNanos ? entry : null;
  }

  long now() {
    return ticker.nanos();
  }

  int size() {
    return entries.size();
  }

  private void evict(long now) {
    int secondChances = 0;
    while (entries.size() > maxSize) {
      Node node = order.poll();
      if (node == null) {
        return;
      }
      for (;;) {
        Entry<T> current = entries.get(node.key);
        if (current == null || current.node != node) {
          break;
        }
        boolean fresh = now - current.writtenAt <= maxAgeNanos;
        if (current != node.entry && fresh && secondChances++ < maxSize) {
          node.entry = current;
          order.offer(node);
          break;
        }
        if (entries.remove(node.key, current)) {
          break;
        }
      }
    }
  }
}
