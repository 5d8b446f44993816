package dev.fusebox.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} process of the test's own on a free port of the loopback address, so that a test
 * can kill, pause and restart it without touching the machine's Redis or another test's. Started with no
 * persistence, so a restart is always empty; stopped by its process, never by name.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   RedisClient client = RedisClient.create(redis.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>Looks for the binary at {@code /usr/bin/redis-server}, then {@code /usr/local/bin/redis-server}, then
 * on the {@code PATH}; the modules' builds install Debian's package when it is missing. The server's
 * output goes to {@code fusebox-redis-<port>.log} in the temporary directory, deleted on {@link #close()}.
 * Not threadsafe: one test drives one server.
 */
public final class RedisServer implements AutoCloseable {

  /** How long {@link #start()} and {@link #restart()} wait for the server to answer PING. */
  public static final Duration START_LIMIT = Duration.ofSeconds(20);

  private static final String BINARY = findBinary();

  private final int port;
  private final int busPort;
  private final List<String> extraArguments;
  private Process process;

  private RedisServer(int port, int busPort, List<String> extraArguments) {
    this.port = port;
    this.busPort = busPort;
    this.extraArguments = extraArguments;
  }

  /**
   * Starts a standalone server on a free port and waits until it answers PING.
   *
   * @return the running server
   * @throws IllegalStateException if {@code redis-server} cannot be started
   * @throws AssertionError if it does not answer within {@link #START_LIMIT}
   */
  public static RedisServer start() {
    return launched(new RedisServer(freePort(), 0, List.of()));
  }

  /**
   * Starts a standalone server on the given port, for a test that needs Redis to appear where there was
   * none, and waits until it answers PING.
   *
   * @param port the port to listen on, 1 to 65535
   * @return the running server
   */
  public static RedisServer startOn(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be in [1, 65535], was " + port);
    }
    return launched(new RedisServer(port, 0, List.of()));
  }

  /**
   * Starts a server on a free port that keeps its data file in {@code directory}: {@code SAVE} (see
   * {@link #command(int, String...)}) writes it, and a {@link #restart()} loads it, as a server restarted
   * with an RDB file from before would.
   *
   * <pre>{@code
   * RedisServer server = RedisServer.startWithDataIn(directory);
   * RedisServer.command(server.port(), "SAVE");
   * // ... the data changes ...
   * server.restart(); // back to the data of the SAVE
   * }</pre>
   *
   * @param directory where the server writes and reads {@code dump.rdb}
   * @return the running server
   */
  public static RedisServer startWithDataIn(File directory) {
    Objects.requireNonNull(directory, "directory must not be null");
    return launched(
        new RedisServer(freePort(), 0, List.of("--dir", directory.getAbsolutePath(), "--dbfilename", "dump.rdb")));
  }

  /**
   * Starts a server in cluster mode on a free port, with a free cluster bus port of its own (the default,
   * the port plus 10,000, is past 65,535 for a third of the ephemeral ports), and waits until it answers
   * PING. The node's configuration is kept in {@code directory} across a {@link #restart()}, so the node
   * comes back as itself, with its slots; forming the cluster is the test's business.
   *
   * @param directory where the node writes its {@code nodes-<port>.conf}
   * @return the running node
   */
  public static RedisServer startClusterNode(File directory) {
    Objects.requireNonNull(directory, "directory must not be null");
    int port = freePort();
    int busPort = freePort();
    List<String> cluster =
        List.of(
            "--cluster-enabled", "yes",
            "--cluster-config-file", new File(directory, "nodes-" + port + ".conf").getAbsolutePath(),
            "--cluster-port", Integer.toString(busPort),
            "--cluster-node-timeout", "2000");
    return launched(new RedisServer(port, busPort, cluster));
  }

  private static RedisServer launched(RedisServer server) {
    server.launch();
    return server;
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the cluster bus port of a cluster node.
   *
   * @return the bus port, or 0 for a standalone server
   */
  public int busPort() {
    return busPort;
  }

  /**
   * Returns the address clients connect to.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Returns the process id of the running server.
   *
   * @return the pid
   */
  public long pid() {
    return process.pid();
  }

  private void launch() {
    List<String> command =
        new ArrayList<>(
            List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--protected-mode", "no"));
    command.addAll(extraArguments);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + BINARY, e);
    }
    Poll.until(START_LIMIT, "redis-server on port " + port + " answers", () -> ping(port));
  }

  /** Kills the server at once (SIGKILL), as a crash would, and waits for the process to end. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port, empty (a cluster node keeps its configuration). */
  public void restart() {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  /**
   * Makes the server hold every client's commands for {@code duration} ({@code CLIENT PAUSE ... ALL}), as
   * a stalled server would.
   *
   * @param duration how long the server holds commands
   */
  public void pause(Duration duration) {
    String reply = command(port, "CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
    if (!reply.startsWith("+OK")) {
      throw new IllegalStateException("CLIENT PAUSE failed: " + reply);
    }
  }

  private File log() {
    return new File(System.getProperty("java.io.tmpdir"), "fusebox-redis-" + port + ".log");
  }

  /** Kills the server and deletes its log. */
  @Override
  public void close() {
    if (process != null) {
      kill();
      if (!log().delete()) {
        log().deleteOnExit();
      }
    }
  }

  /**
   * Returns whether a Redis server answers PING on the loopback address at {@code port}.
   *
   * @param port the port to ask
   * @return true if the answer was {@code +PONG}
   */
  public static boolean ping(int port) {
    try {
      return command(port, "PING").startsWith("+PONG");
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /**
   * Sends one command in RESP to the server on the loopback address at {@code port}, without a client
   * library, and returns the first line of the reply, or the whole content of a bulk string reply (such
   * as {@code CLUSTER INFO}'s).
   *
   * @param port the server's port
   * @param words the command and its arguments
   * @return the reply's first line, or a bulk reply's content
   * @throws IllegalStateException if the server cannot be reached or does not answer within 2 seconds
   */
  public static String command(int port, String... words) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(2000);
      StringBuilder out = new StringBuilder("*").append(words.length).append("\r\n");
      for (String word : words) {
        out.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
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

  /**
   * Returns a port that was free on the loopback address a moment ago. Another process may take it
   * before the caller binds it; on this machine's test runs that has not been seen.
   *
   * @return the port
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
