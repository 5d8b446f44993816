package dev.fusebox.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link DashboardHandler} answers: a status, headers and a body, for the web stack to send.
 *
 * <p>A body is either a fixed number of bytes ({@link #contentLength()} at least 0) or a stream of
 * server-sent events ({@link #isStream()}, length unknown). To send a stream, the web stack sends the status
 * and headers at once, then calls {@link #writeBody} on a thread it can spare for the stream's whole life:
 * the call writes and flushes each event as it comes and returns only when the client has gone away (a
 * write failed), or the stream was ended by the handler; the web stack then closes the response.
 *
 * <pre>{@code
 * DashboardResponse response = handler.handle(request);
 * servletResponse.setStatus(response.status());
 * response.headers().forEach(servletResponse::setHeader);
 * response.writeBody(servletResponse.getOutputStream());
 * }</pre>
 *
 * <p>Instances are immutable; a stream body can be written once.
 */
public final class DashboardResponse {

  /** Writes a body. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final byte[] EMPTY = new byte[0];

  private final int status;
  private final Map<String, String> headers;
  private final byte[] bytes;
  private final Body stream;

  private DashboardResponse(int status, Map<String, String> headers, byte[] bytes, Body stream) {
    this.status = status;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.bytes = bytes;
    this.stream = stream;
  }

  static DashboardResponse of(int status, Map<String, String> headers, byte[] body) {
    return new DashboardResponse(status, headers, Objects.requireNonNull(body), null);
  }

  static DashboardResponse empty(int status, Map<String, String> headers) {
    return new DashboardResponse(status, headers, EMPTY, null);
  }

  static DashboardResponse stream(Map<String, String> headers, Body body) {
    return new DashboardResponse(200, headers, null, Objects.requireNonNull(body));
  }

  /**
   * Returns the HTTP status code.
   *
   * @return the status code, such as 200
   */
  public int status() {
    return status;
  }

  /**
   * Returns the response headers, each with one value, in the order to send them.
   *
   * @return the headers, unmodifiable
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Returns whether the body is a stream of events whose length is not known in advance.
   *
   * @return true for an event stream, false for a body of known length
   */
  public boolean isStream() {
    return stream != null;
  }

  /**
   * Returns the body's length in bytes, or -1 for a stream.
   *
   * @return the length in bytes, or -1 for a stream
   */
  public long contentLength() {
    return stream != null ? -1 : bytes.length;
  }

  /**
   * Writes the body to {@code out}, without closing it. For a stream, blocks until the stream ends (see
   * the class description).
   *
    * @param out where the body goes, such as the servlet's or the exchange's output stream
   * @throws IOException if writing fails; a stream's writer handles a client that went away itself and
   *     returns normally
   */
  public void writeBody(OutputStream out) throws IOException {
    if (stream != null) {
      stream.writeTo(out);
    } else {
      out.write(bytes);
    }
  }

  @Override
  public String toString() {
    return "DashboardResponse[" + status + (stream != null ? ", stream" : ", " + bytes.length + " bytes") + "]";
  }
}
