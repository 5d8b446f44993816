package dev.fusebox.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open server-sent-events streams, and the frames the sampler sends them.
 *
 * <p>Design note. Each stream is written by the thread the transport lends it (see
 * {@link DashboardResponse#writeBody}), never by the sampler: a client that reads slowly must not hold up
 * the ticks or the other clients. The sampler offers each frame to every stream's small queue without
 * blocking; a stream whose queue is full has fallen behind by several intervals, so it is ended rather
 * than fed a gapped history, and the page reconnects and starts again from a full snapshot. A writer
 * thread ends when a write fails (the client went away: the next frame or keep-alive comment, at most one
 * {@code keepAlive} later, finds out), when its stream is ended, or when the hub closes; the number of
 * streams is bounded, and a stream past the bound is refused before it takes a thread for long.
 */
final class StreamHub {

  /** Tells a writer to stop; compared by identity. */
  private static final String END = new String("end");
  private static final int QUEUE_CAPACITY = 8;

  private final int maxStreams;
  private final long keepAliveNanos;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  /** The newest snapshot frame, which a new stream receives first so that it never starts empty. */
  private volatile String latestSnapshot;
  private volatile boolean closed;

  StreamHub(int maxStreams, long keepAliveNanos) {
    this.maxStreams = maxStreams;
    this.keepAliveNanos = keepAliveNanos;
  }

  /**
   * Opens a stream, or returns null when {@code maxStreams} are open or the hub is closed. The caller must
   * run {@link Stream#run} (which releases the place when it returns).
   */
  Stream open() {
    while (true) {
      int n = open.get();
      if (closed || n >= maxStreams) {
        return null;
      }
      if (open.compareAndSet(n, n + 1)) {
        Stream stream = new Stream();
        streams.add(stream);
        if (closed) {
          stream.end();
        }
        return stream;
      }
    }
  }

  /** Sends a snapshot frame to every stream, and keeps it for streams opened later. */
  void publishSnapshot(String frame) {
    latestSnapshot = frame;
    publish(frame);
  }

  /** Sends a frame to every stream. */
  void publish(String frame) {
    for (Stream stream : streams) {
      if (!stream.queue.offer(frame)) {
        stream.end();
      }
    }
  }

  /** Ends every stream and refuses new ones. */
  void close() {
    closed = true;
    streams.forEach(Stream::end);
  }

  int openStreams() {
    return open.get();
  }

  /** One client's stream. */
  final class Stream {
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

    private Stream() {}

    /** Makes the writer stop after the frame it is writing; safe from any thread, any number of times. */
    void end() {
      queue.clear();
      queue.offer(END);
    }

    /**
     * Writes frames to {@code out} until the client goes away, the stream is ended or the hub closes.
     * Returns normally in every case but an interrupt, which it restores.
     */
    void run(OutputStream out) {
      try {
        // retry: how long a plain EventSource waits before reconnecting.
        write(out, "retry: 2000\n\n" + (latestSnapshot == null ? "" : latestSnapshot));
        while (true) {
          String frame = queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
          if (frame == END) {
            return;
          }
          write(out, frame == null ? ": keep-alive\n\n" : frame);
        }
      } catch (IOException e) {
        // The client went away; nothing to tell anyone.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        streams.remove(this);
        open.decrementAndGet();
      }
    }

    private void write(OutputStream out, String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }
}
