package org.troupedb.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How {@code troupe node decommission} follows a node's departure: it polls another node's
 * {@code /cluster/status} and prints the leaving node's member status and range count whenever
 * they change, until the node is no longer a member (its ranges were handed off and it exited), or
 * the wait runs out.
 *
 * <pre>
 *   Up ──Leave──▶ Leaving (ranges hand off: 12, 9, … 0) ──▶ Exiting ──▶ gone from the member list
 * </pre>
 */
final class DecommissionProgress {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String statusUrl;
  private final String node;
  private final PrintStream out;

  /** @param node the leaving node's cluster address as {@code /cluster/status} prints it (HOST:PORT) */
  DecommissionProgress(HostPort asked, String node, PrintStream out) {
    this.statusUrl = "http://" + asked + "/cluster/status";
    this.node = node;
    this.out = out;
  }

  /** Polls until the node has left (true) or {@code wait} is over (false). */
  boolean await(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      String now;
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(statusUrl))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        // NB: a 503 (the status page's own reload timed out, e.g. while the meta range moves) says
        // nothing about the node; read as a status it would look like "no member any more".
        now = r.statusCode() == 200 ? describe(JSON.readTree(r.body()))
            : "status unavailable from " + statusUrl + " (HTTP " + r.statusCode() + ")";
      } catch (java.io.IOException e) {
        now = "status unavailable from " + statusUrl + " (" + e.getMessage() + ")";
      }
      if (now == null) {
        out.printf("%s has left the cluster: it holds no ranges%n", node);
        return true;
      }
      if (!now.equals(last)) {
        out.printf("%s: %s%n", node, now);
        last = now;
      }
      Thread.sleep(1000);
    }
    out.printf("%s has not left within %s (last: %s)%n", node, wait, last);
    return false;
  }

  /** The leaving node's status and ranges, or null once it is no member. */
  String describe(JsonNode status) {
    for (JsonNode n : status.path("nodes")) {
      if (node.equals(n.path("address").asText())) {
        return n.path("status").asText() + ", " + n.path("leaseholders").asInt() + " ranges";
      }
    }
    return null;
  }
}
