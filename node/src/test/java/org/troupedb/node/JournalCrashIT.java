package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a node on the default (group-committing) journal while many clients commit
 * concurrently on several ranges: after a restart every acknowledged commit is there, and every
 * two-range transaction is there whole or not at all.
 *
 * <p>Each of 16 clients commits in a loop, alternately an implicit single-row INSERT into one of
 * four tables (four ranges) and an explicit transaction inserting the same id into {@code pair_a}
 * and {@code pair_b} (a two-range commit). The node is killed while they run, so many commits are
 * in one group commit at the moment of the kill.
 */
class JournalCrashIT {
  private static final int CLIENTS = 16;
  private static final String[] SINGLE = {"s0", "s1", "s2", "s3"};

  @TempDir Path tmp;

  @Test
  void killNineDuringConcurrentCommitsLosesNoAcknowledgedOne() throws Exception {
    Path store = tmp.resolve("store");
    Files.createDirectories(store);
    int port = NodeProcess.freePort();
    Set<String> acked = ConcurrentHashMap.newKeySet(); // "table:id"
    Set<Integer> ackedPairs = ConcurrentHashMap.newKeySet();

    try (NodeProcess node = NodeProcess.start(store, port)) {
      node.awaitReady();
      try (Connection c = DriverManager.getConnection(node.jdbcUrl()); Statement s = c.createStatement()) {
        for (String t : SINGLE) {
          s.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, v TEXT NOT NULL)");
        }
        s.execute("CREATE TABLE pair_a (id INT PRIMARY KEY, v TEXT NOT NULL)");
        s.execute("CREATE TABLE pair_b (id INT PRIMARY KEY, v TEXT NOT NULL)");
      }
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch warm = new CountDownLatch(CLIENTS);
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        int client = i;
        Thread t = new Thread(() -> commitUntilKilled(node.jdbcUrl(), client, stop, warm, acked, ackedPairs),
            "writer-" + i);
        t.start();
        clients.add(t);
      }
      // every client has committed a few times; then let them run a little longer and kill the node
      assertThat(warm.await(120, TimeUnit.SECONDS)).as("clients committing").isTrue();
      Thread.sleep(3_000);
      int ackedBeforeKill = acked.size();
      node.kill9();
      stop.set(true);
      for (Thread t : clients) {
        t.join(60_000);
      }
      assertThat(ackedBeforeKill).as("commits acknowledged before the kill").isGreaterThan(CLIENTS * 5);
    }

    try (NodeProcess node = NodeProcess.start(store, port)) {
      node.awaitReady();
      Set<String> found = new HashSet<>();
      try (Connection c = DriverManager.getConnection(node.jdbcUrl())) {
        for (String t : SINGLE) {
          found.addAll(ids(c, t));
        }
        Set<String> a = ids(c, "pair_a");
        Set<String> b = ids(c, "pair_b");
        // a two-range transaction is whole or absent
        assertThat(a.stream().map(k -> k.substring(k.indexOf(':') + 1)).toList())
            .containsExactlyInAnyOrderElementsOf(b.stream().map(k -> k.substring(k.indexOf(':') + 1)).toList());
        found.addAll(a);
        found.addAll(b);
      }
      Set<String> missing = new HashSet<>(acked);
      missing.removeAll(found);
      System.out.printf("JournalCrashIT: %d acknowledged before the kill, %d rows after the restart%n", acked.size(),
          found.size());
      assertThat(missing).as("acknowledged commits missing after kill -9 (of " + acked.size() + ")").isEmpty();
      for (int id : ackedPairs) {
        assertThat(found).contains("pair_a:" + id);
      }
      assertThat(node.terminate()).as("exit code on SIGTERM").isIn(0, 143);
    }
  }

  /** Commits until the connection breaks (the kill) or {@code stop}; records each acknowledged commit. */
  private static void commitUntilKilled(String url, int client, AtomicBoolean stop, CountDownLatch warm,
      Set<String> acked, Set<Integer> ackedPairs) {
    try (Connection c = DriverManager.getConnection(url)) {
      int n = 0;
      while (!stop.get()) {
        int id = client * 1_000_000 + n;
        try {
          commitOne(c, client, n, id, acked, ackedPairs);
        } catch (java.sql.SQLException e) {
          if (e.getSQLState() != null && e.getSQLState().startsWith("08") || !c.isValid(2)) {
            return; // the node died under this client: what it had not seen acknowledged may or may not be there
          }
          c.rollback(); // e.g. 40001: this id was not acknowledged; go on with the next
          c.setAutoCommit(true);
        }
        n++;
        if (n == 10) {
          warm.countDown();
        }
      }
    } catch (java.sql.SQLException e) {
      // the node died under this client
    }
  }

  private static void commitOne(Connection c, int client, int n, int id, Set<String> acked, Set<Integer> ackedPairs)
      throws java.sql.SQLException {
    if (n % 2 == 0) {
      String table = SINGLE[(client + n / 2) % SINGLE.length];
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
        ps.setInt(1, id);
        ps.setString(2, "c" + client);
        ps.executeUpdate();
      }
      acked.add(table + ":" + id);
      return;
    }
    c.setAutoCommit(false);
    for (String table : new String[] {"pair_a", "pair_b"}) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
        ps.setInt(1, id);
        ps.setString(2, "c" + client);
        ps.executeUpdate();
      }
    }
    c.commit();
    c.setAutoCommit(true);
    acked.add("pair_a:" + id);
    acked.add("pair_b:" + id);
    ackedPairs.add(id);
  }

  private static Set<String> ids(Connection c, String table) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
      while (rs.next()) {
        ids.add(table + ":" + rs.getInt(1));
      }
    }
    return ids;
  }
}
