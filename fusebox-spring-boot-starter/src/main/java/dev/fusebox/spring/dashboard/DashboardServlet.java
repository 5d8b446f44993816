package dev.fusebox.spring.dashboard;

import dev.fusebox.dashboard.DashboardHandler;
import dev.fusebox.dashboard.DashboardRequest;
import dev.fusebox.dashboard.DashboardResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mounts a {@link DashboardHandler} in the servlet container: the request's method, raw path (without the
 * context path, still percent-encoded), headers and body in; the handler's status, headers and body out.
 * The live stream is written on the request's thread, which it holds for the life of the page; the
 * handler bounds the number of streams.
 */
final class DashboardServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient DashboardHandler handler;

  DashboardServlet(DashboardHandler handler) {
    this.handler = handler;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    DashboardResponse answer =
        handler.handle(new DashboardRequest(request.getMethod(), path, headers, request.getInputStream()));
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    OutputStream out = response.getOutputStream();
    if (answer.isStream()) {
      response.flushBuffer();
    } else {
      response.setContentLengthLong(answer.contentLength());
    }
    answer.writeBody(out);
  }
}
