package dev.fusebox.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that forwards every byte to a target port after a fixed delay, both ways, in
 * order: a Redis that is far away or slow, without touching Redis itself.
 */
final class DelayProxy implements AutoCloseable {

  private record Chunk(long due, byte[] bytes) {}

  private final ServerSocket server;
  private final int target;
  private volatile long delayNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  DelayProxy(int target, Duration delay) {
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.target = target;
    this.delayNanos = delay.toNanos();
    Thread acceptor = new Thread(this::accept, "delay-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Changes the delay of every byte read from now on. */
  void delay(Duration delay) {
    this.delayNanos = delay.toNanos();
  }

  int port() {
    return server.getLocalPort();
  }

  String uri() {
    return "redis://127.0.0.1:" + port();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress("127.0.0.1", target), 2000);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (!closed) {
          LockSupport.parkNanos(1_000_000);
        }
      }
    }
  }

  /** One thread reads and stamps each chunk, another writes it once its delay is over, in order. */
  private void pump(Socket from, Socket to) throws IOException {
    LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread reader = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          byte[] copy = new byte[n];
          System.arraycopy(buffer, 0, copy, 0, n);
          queue.add(new Chunk(System.nanoTime() + delayNanos, copy));
        }
      } catch (IOException e) {
        // the connection ended
      }
      queue.add(new Chunk(0, null));
    }, "delay-proxy-read");
    Thread writer = new Thread(() -> {
      try {
        for (;;) {
          Chunk chunk = queue.take();
          if (chunk.bytes() == null) {
            break;
          }
          long wait;
          while ((wait = chunk.due() - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          out.write(chunk.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the connection ended
      }
      try {
        to.shutdownOutput();
      } catch (IOException e) {
        // already closed
      }
    }, "delay-proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
