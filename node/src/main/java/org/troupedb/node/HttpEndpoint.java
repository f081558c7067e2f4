package org.troupedb.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The node's HTTP endpoint (JDK HttpServer): {@code GET /health} (200 while the process serves),
 * {@code GET /ready} (200 once the node accepts SQL, 503 before), {@code GET /metrics}
 * (Prometheus text format).
 */
final class HttpEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  HttpEndpoint(HostPort address, PrometheusMeterRegistry registry, BooleanSupplier ready) throws IOException {
    server = HttpServer.create(address.toSocketAddress(), 16);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "troupe-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/health", ex -> respond(ex, 200, "text/plain", "ok\n"));
    server.createContext("/ready", ex -> {
      boolean r = ready.getAsBoolean();
      respond(ex, r ? 200 : 503, "text/plain", r ? "ready\n" : "starting\n");
    });
    server.createContext("/metrics", ex -> respond(ex, 200,
        "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/", ex -> respond(ex, 404, "text/plain", "not found\n"));
  }

  /** Serves {@code path} (and everything under it) with {@code handler}; before or after start. */
  void route(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(path, handler);
  }

  void start() {
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
