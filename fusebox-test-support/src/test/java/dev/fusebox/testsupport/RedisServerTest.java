package dev.fusebox.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Real redis-server processes, started and stopped by the test on free ports. */
class RedisServerTest {

  @Test
  void startsAnEmptyServerOfItsOwnThatAnswersAndIsGoneAfterClose() {
    int port;
    try (RedisServer redis = RedisServer.start()) {
      port = redis.port();
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + port);
      assertThat(redis.busPort()).isZero();
      assertThat(RedisServer.command(port, "SET", "k", "v")).isEqualTo("+OK");
      assertThat(RedisServer.command(port, "GET", "k")).isEqualTo("v");
      assertThat(ProcessHandle.of(redis.pid())).isPresent();
    }
    assertThat(RedisServer.ping(port)).isFalse();
  }

  @Test
  void aRestartedServerComesBackEmptyOnTheSamePort() {
    try (RedisServer redis = RedisServer.start()) {
      RedisServer.command(redis.port(), "SET", "k", "v");
      long before = redis.pid();

      redis.kill();
      assertThat(RedisServer.ping(redis.port())).isFalse();
      redis.restart();

      assertThat(redis.pid()).isNotEqualTo(before);
      assertThat(RedisServer.ping(redis.port())).isTrue();
      assertThat(RedisServer.command(redis.port(), "GET", "k")).isEqualTo("$-1");
    }
  }

  @Test
  void aClusterNodeRunsInClusterModeOnABusPortOfItsOwn() throws Exception {
    Path directory = Files.createTempDirectory("fusebox-redis-node");
    try (RedisServer node = RedisServer.startClusterNode(directory.toFile())) {
      assertThat(node.busPort()).isPositive().isNotEqualTo(node.port());
      assertThat(RedisServer.command(node.port(), "INFO", "cluster")).contains("cluster_enabled:1");
      assertThat(new File(directory.toFile(), "nodes-" + node.port() + ".conf")).exists();
    } finally {
      try (var files = Files.list(directory)) {
        files.forEach(file -> file.toFile().delete());
      }
      Files.delete(directory);
    }
  }

  @Test
  void aPausedServerHoldsCommandsAndAnswersNothingInTheMeantime() {
    try (RedisServer redis = RedisServer.start()) {
      redis.pause(java.time.Duration.ofSeconds(30));

      assertThatThrownBy(() -> RedisServer.command(redis.port(), "PING"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("cannot reach Redis on port " + redis.port());
    }
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatThrownBy(() -> RedisServer.startOn(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be in [1, 65535], was 0");
  }
}
