package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the multi-process cluster tests ({@link ClusterFailoverIT}, {@link ClusterPartitionIT})
 * share: {@code /cluster/init} and {@code /cluster/status} over HTTP, the ranges each member
 * hosts, the bank balances through one node, and when a node's log says something happened.
 */
final class ClusterTestSupport {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private ClusterTestSupport() {}

  /** {@code POST /cluster/init} on {@code node}; asserts it was accepted. */
  static void init(NodeProcess node) throws Exception {
    HttpResponse<String> init = HTTP.send(HttpRequest.newBuilder(uri(node, "/cluster/init"))
        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
  }

  /** {@code GET /cluster/status QUERY} on {@code node} (e.g. {@code "?wake=1"}), asserted 200. */
  static JsonNode status(NodeProcess node, String query) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(node, "/cluster/status" + query))
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static URI uri(NodeProcess node, String path) {
    return URI.create("http://" + node.host() + ":" + node.httpPort() + path);
  }

  /** The index of the member (by cluster port) with the most leaseholders in {@code status}. */
  static int busiest(JsonNode status, List<Integer> clusterPorts) {
    return busiestAt(status, clusterPorts.stream().map(p -> ":" + p).toList());
  }

  /**
   * The index of the member with the most leaseholders in {@code status}; {@code addresses}:
   * each member's cluster {@code host:port}, or its {@code :port} alone.
   */
  static int busiestAt(JsonNode status, List<String> addresses) {
    int best = 0;
    int most = -1;
    for (int i = 0; i < addresses.size(); i++) {
      int count = rangesAt(status, addresses.get(i)).size();
      if (count > most) {
        most = count;
        best = i;
      }
    }
    return best;
  }

  /** The ranges {@code status} says run on the member whose cluster port is {@code clusterPort}. */
  static Set<Long> rangesOf(JsonNode status, int clusterPort) {
    return rangesAt(status, ":" + clusterPort);
  }

  /** The ranges {@code status} says run on the member at {@code address} ({@code host:port} or {@code :port}). */
  static Set<Long> rangesAt(JsonNode status, String address) {
    Set<Long> ids = new TreeSet<>();
    JsonNode n = member(status, address);
    if (n != null) {
      n.get("ranges").forEach(r -> ids.add(r.get("rangeId").asLong()));
    }
    return ids;
  }

  /** The member status ({@code Up}, {@code Down}, …) of the member at {@code address}, or null. */
  static String memberStatus(JsonNode status, String address) {
    JsonNode n = member(status, address);
    return n == null ? null : n.get("status").asText();
  }

  private static JsonNode member(JsonNode status, String address) {
    for (JsonNode n : status.get("nodes")) {
      String a = n.get("address").asText();
      if (address.startsWith(":") ? a.endsWith(address) : a.equals(address)) {
        return n;
      }
    }
    return null;
  }

  /** Every account's balance, read through {@code node}. */
  static Map<Integer, Long> balances(NodeProcess node, int tables) throws Exception {
    Map<Integer, Long> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(node.jdbcUrl()); Statement s = c.createStatement()) {
      for (int t = 0; t < tables; t++) {
        try (ResultSet rs = s.executeQuery("SELECT id, balance FROM " + BankWorkload.accountTable(t))) {
          while (rs.next()) {
            out.put(rs.getInt(1), rs.getLong(2));
          }
        }
      }
    }
    return out;
  }

  /**
   * Each node process's output to {@code target/DIR/process-I.log} (I: in start order), for a
   * look after a run; a failure to write is only logged.
   */
  static void keepLogs(List<NodeProcess> nodes, String dir) {
    try {
      java.nio.file.Path to = java.nio.file.Path.of("target", dir);
      java.nio.file.Files.createDirectories(to);
      for (int i = 0; i < nodes.size(); i++) {
        java.nio.file.Files.writeString(to.resolve("process-" + (i + 1) + ".log"), nodes.get(i).output());
      }
    } catch (java.io.IOException e) {
      org.slf4j.LoggerFactory.getLogger(ClusterTestSupport.class).warn("could not keep the node logs", e);
    }
  }

  /**
   * When {@code node} first logged a line containing {@code text} (its lines start with the
   * wall-clock time of day), in milliseconds after {@code sinceWallMillis}; -1 if not logged.
   */
  static long loggedAfterMillis(NodeProcess node, String text, long sinceWallMillis) {
    String line = node.firstLine(text);
    if (line == null) {
      return -1;
    }
    LocalTime at = LocalTime.parse(line.substring(0, 12));
    LocalDate day = Instant.ofEpochMilli(sinceWallMillis).atZone(ZoneId.systemDefault()).toLocalDate();
    return at.atDate(day).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli() - sinceWallMillis;
  }
}
