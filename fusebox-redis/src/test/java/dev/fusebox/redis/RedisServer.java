package dev.fusebox.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server process of the test's own, on a free port, so that tests can kill, pause and restart it
 * without touching the machine's Redis. Started with no persistence, so a restart is always empty. Stopped
 * by its pid.
 */
final class RedisServer implements AutoCloseable {

  private static final String BINARY = findBinary();

  final int port;
  /** The cluster bus port of a cluster node; 0 for a standalone server. */
  final int busPort;
  private Process process;

  private final List<String> extraArguments;

  private RedisServer(int port, int busPort, List<String> extraArguments) {
    this.port = port;
    this.busPort = busPort;
    this.extraArguments = extraArguments;
  }

  private RedisServer(int port) {
    this(port, 0, List.of());
  }

  /**
   * Starts a server on a free port in cluster mode, its node configuration in {@code directory} (kept
   * across a {@link #restart()}, so the node comes back as itself, with its slots).
   */
  static RedisServer startClusterNode(File directory) {
    int port = freePort();
    // The cluster bus defaults to the port plus 10,000, which is past 65,535 for a third of the ephemeral
    // ports (and may be taken); a free port of its own avoids both.
    int busPort = freePort();
    RedisServer server =
        new RedisServer(
            port,
            busPort,
            List.of("--cluster-enabled", "yes", "--cluster-config-file",
                new File(directory, "nodes-" + port + ".conf").getAbsolutePath(),
                "--cluster-port", Integer.toString(busPort),
                "--cluster-node-timeout", "2000"));
    server.launch();
    return server;
  }

  /** Starts a server on a free port and waits until it answers PING. */
  static RedisServer start() {
    RedisServer server = new RedisServer(freePort());
    server.launch();
    return server;
  }

  /**
   * Starts a server on a free port with extra arguments (TLS options, say), and waits until it answers
   * PING on that port.
   */
  static RedisServer startWith(String... arguments) {
    RedisServer server = new RedisServer(freePort(), 0, List.of(arguments));
    server.launch();
    return server;
  }

  /** Starts a server on the given port, for tests that need Redis to appear where there was none. */
  static RedisServer startOn(int port) {
    RedisServer server = new RedisServer(port);
    server.launch();
    return server;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  private void launch() {
    try {
      List<String> command =
          new ArrayList<>(
              List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                  "no", "--protected-mode", "no"));
      command.addAll(extraArguments);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + BINARY, e);
    }
    Poll.until(Duration.ofSeconds(20), "redis-server on port " + port + " answers", () -> ping(port));
  }

  /** Kills the server at once (SIGKILL), as a crash would. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port, empty. */
  void restart() {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  /** Makes the server hold every client's commands for {@code duration} (CLIENT PAUSE ... ALL). */
  void pause(Duration duration) {
    String reply = command(port, "CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    if (!reply.startsWith("+OK")) {
      throw new IllegalStateException("CLIENT PAUSE failed: " + reply);
    }
  }

  private File log() {
    return new File(System.getProperty("java.io.tmpdir"), "fusebox-redis-" + port + ".log");
  }

  @Override
  public void close() {
    if (process != null) {
      kill();
      log().delete();
    }
  }

  static boolean ping(int port) {
    try {
      return command(port, "PING").startsWith("+PONG");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Sends one command in RESP and returns the first line of the reply, or the whole content of a bulk
   * string reply (such as CLUSTER INFO's).
   */
  static String command(int port, String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(2000);
      StringBuilder out = new StringBuilder("*").append(words.length).append("\r\n");
      for (String w : words) {
        out.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
      }
      OutputStream os = socket.getOutputStream();
      os.write(out.toString().getBytes(StandardCharsets.UTF_8));
      os.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        line.append((char) c);
      }
      String first = line.toString().trim();
      if (first.startsWith("$") && !first.equals("$-1")) {
        byte[] bulk = in.readNBytes(Integer.parseInt(first.substring(1)));
        return new String(bulk, StandardCharsets.UTF_8);
      }
      return first;
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach Redis on port " + port + ": " + e, e);
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String findBinary() {
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return "redis-server";
  }
}
