package dev.orgprovisioner.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real local HTTP server standing in for Slack and webhook receivers: records every request and
 * answers each path from a script of status codes (then 200).
 */
public final class HttpReceiver implements AutoCloseable {

  /** One received request. */
  public record Request(String path, Map<String, String> headers, byte[] body, int answered) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** A scripted answer: a status and optional Retry-After. */
  public record Answer(int status, String retryAfter) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();

  public HttpReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          String path = exchange.getRequestURI().getPath();
          Deque<Answer> script = scripts.get(path);
          Answer answer;
          synchronized (this) {
            answer = script == null || script.isEmpty() ? new Answer(200, null) : script.poll();
          }
          Map<String, String> headers = new java.util.HashMap<>();
          exchange
              .getRequestHeaders()
              .forEach(
                  (k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
          requests.add(new Request(path, Map.copyOf(headers), body, answer.status()));
          if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
          }
          exchange.sendResponseHeaders(answer.status(), -1);
          exchange.close();
        });
    server.start();
  }

  /** The URL of a path on this receiver. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Answers the next requests to {@code path} with these statuses, then 200. */
  public void script(String path, Answer... answers) {
    scripts.put(path, new ArrayDeque<>(List.of(answers)));
  }

  public void script(String path, int... statuses) {
    Deque<Answer> deque = new ArrayDeque<>();
    for (int s : statuses) {
      deque.add(new Answer(s, null));
    }
    scripts.put(path, deque);
  }

  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
