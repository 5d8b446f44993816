package dev.fusebox.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read and who may act: the token check and the request checks around it.
 *
 * <p>The token is compared in constant time: both sides are hashed with SHA-256 and the digests compared
 * with {@link MessageDigest#isEqual}, so neither the length nor any prefix of the token leaks through
 * timing. A request either has no token (401), a wrong one (403), or the right one.
 *
 * <p>This class is immutable and threadsafe.
 */
final class Access {

  /** The request header that carries the token. */
  static final String TOKEN_HEADER = "X-Fusebox-Token";

  /** The outcome of a token check. */
  enum Check {
    MISSING,
    WRONG,
    VALID
  }

  private final byte[] tokenDigest;
  private final boolean readNeedsToken;
  /** Host names a browser may use to reach the dashboard; empty when any is fine. */
  private final Set<String> allowedHosts;

  Access(String token, boolean readNeedsToken, Set<String> allowedHosts) {
    this.tokenDigest = sha256(token);
    this.readNeedsToken = readNeedsToken;
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  /** Returns 128 random bits in hexadecimal, from a {@link SecureRandom}. */
  static String randomToken() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    StringBuilder hex = new StringBuilder(32);
    for (byte b : bytes) {
      hex.append(Character.forDigit(b >> 4 & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }

  /** Returns whether reading the data needs the token. */
  boolean readNeedsToken() {
    return readNeedsToken;
  }

  Check check(DashboardRequest request) {
    Optional<String> token = request.header(TOKEN_HEADER);
    if (token.isEmpty() || token.get().isEmpty()) {
      return Check.MISSING;
    }
    return MessageDigest.isEqual(tokenDigest, sha256(token.get())) ? Check.VALID : Check.WRONG;
  }

  /**
   * Returns whether the request's Host header names a host the dashboard answers to. A page that reached
   * a loopback-bound dashboard through DNS rebinding (its own host name resolving to 127.0.0.1) carries
   * its own host name here, and is turned away before it reads anything.
   */
  boolean hostAllowed(DashboardRequest request) {
    if (allowedHosts.isEmpty()) {
      return true;
    }
    Optional<String> host = request.header("Host");
    return host.isEmpty() || allowedHosts.contains(hostName(host.get()));
  }

  /** Returns the host name of a Host header value, without the port, in lower case. */
  static String hostName(String hostHeader) {
    String host = hostHeader.trim().toLowerCase(Locale.ROOT);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  /**
   * Returns whether a browser says that the request comes from another site: its Fetch Metadata header.
   * Browsers that send no such header are left to the token and content-type checks.
   */
  static boolean crossSite(DashboardRequest request) {
    return request.header("Sec-Fetch-Site").map(v -> v.trim().equalsIgnoreCase("cross-site")).orElse(false);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
