package dev.fusebox.redis;

import io.lettuce.core.cluster.SlotHash;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of the test's own: {@code size} masters without replicas, each a redis-server on a free
 * port, the slots split evenly between them. Built with CLUSTER ADDSLOTSRANGE and CLUSTER MEET, so it needs
 * nothing but redis-server; stopped by pid, its node files deleted.
 */
final class LocalCluster implements AutoCloseable {

  final List<RedisServer> nodes = new ArrayList<>();
  private final File directory;

  private LocalCluster(File directory) {
    this.directory = directory;
  }

  static LocalCluster start(int size) {
    File directory;
    try {
      directory = Files.createTempDirectory("fusebox-cluster").toFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalCluster cluster = new LocalCluster(directory);
    try {
      for (int i = 0; i < size; i++) {
        cluster.nodes.add(RedisServer.startClusterNode(directory));
      }
      for (int i = 0; i < size; i++) {
        int first = firstSlot(i, size);
        int last = firstSlot(i + 1, size) - 1;
        expectOk(cluster.nodes.get(i).port, "CLUSTER", "ADDSLOTSRANGE", Integer.toString(first), Integer.toString(last));
      }
      for (int i = 1; i < size; i++) {
        RedisServer node = cluster.nodes.get(i);
        expectOk(cluster.nodes.get(0).port, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port),
            Integer.toString(node.busPort));
      }
      cluster.awaitHealthy();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Waits until every node sees the whole cluster and serves every slot. */
  void awaitHealthy() {
    Poll.until(Duration.ofSeconds(30), "the cluster of " + nodes.size() + " nodes is ok", () ->
        nodes.stream().allMatch(n -> {
          try {
            String info = RedisServer.command(n.port, "CLUSTER", "INFO");
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size());
          } catch (RuntimeException e) {
            return false;
          }
        }));
  }

  /** The URI of one node, from which a client learns the rest. */
  String seedUri() {
    return nodes.get(0).uri();
  }

  /** The node that owns {@code key}'s slot. */
  RedisServer nodeOf(String key) {
    int slot = SlotHash.getSlot(key);
    for (int i = nodes.size() - 1; i > 0; i--) {
      if (slot >= firstSlot(i, nodes.size())) {
        return nodes.get(i);
      }
    }
    return nodes.get(0);
  }

  private static int firstSlot(int node, int size) {
    return node * SlotHash.SLOT_COUNT / size;
  }

  private static void expectOk(int port, String... command) {
    String reply = RedisServer.command(port, command);
    if (!reply.startsWith("+OK")) {
      throw new IllegalStateException(String.join(" ", command) + " on port " + port + " answered " + reply);
    }
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
    File[] files = directory.listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    directory.delete();
  }
}
