package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: ALTER TABLE while other sessions write and read. Writers insert rows through pgjdbc
 * (prepared, so their plans are cached across the schema changes) and retry on 40001, a reader
 * sums the table, and one session runs a series of column changes. No client may see an error
 * other than 40001, and every acknowledged insert is there at the end with the values the
 * changes give it (the constant DEFAULT of a column added after it, converted types).
 */
class AlterConcurrencyIT extends InProcessNodeFixture {
  private static final List<String> CHANGES = List.of(
      "ALTER TABLE ac ADD COLUMN tag text NOT NULL DEFAULT 'old'",
      "ALTER TABLE ac ALTER COLUMN v TYPE bigint",
      "ALTER TABLE ac ALTER COLUMN tag SET DEFAULT 'new'",
      "ALTER TABLE ac ADD COLUMN extra int",
      "ALTER TABLE ac ALTER COLUMN f TYPE double precision",
      "ALTER TABLE ac DROP COLUMN extra",
      "ALTER TABLE ac RENAME COLUMN note TO remark",
      "ALTER TABLE ac ALTER COLUMN v SET NOT NULL",
      "ALTER TABLE ac ALTER COLUMN v TYPE numeric");

  @Test
  void writersAndReadersSeeOneSchemaAndLoseNoRow() throws Exception {
    try (Connection c = connect(true); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE ac (id int PRIMARY KEY, v int, f real, note text)");
    }
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ids = new AtomicInteger();
    List<Integer> acknowledged = Collections.synchronizedList(new ArrayList<>());
    List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger retries = new AtomicInteger();
    List<Future<?>> clients = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      clients.add(pool.submit(() -> {
        try (Connection c = connect("&prepareThreshold=1");
            PreparedStatement ins = c.prepareStatement("INSERT INTO ac (id, v, f) VALUES (?, ?, ?)")) {
          for (int i = 0; i < 2000 && !stop.get(); i++) {
            int id = ids.incrementAndGet();
            for (int attempt = 0; attempt < 50; attempt++) {
              try {
                ins.setInt(1, id);
                ins.setInt(2, id);
                ins.setFloat(3, 0.5f);
                ins.executeUpdate();
                acknowledged.add(id);
                break;
              } catch (SQLException e) {
                if (!"40001".equals(e.getSQLState())) {
                  unexpected.add("insert: " + e.getSQLState() + " " + e.getMessage());
                  break;
                }
                retries.incrementAndGet();
              }
            }
          }
        }
        return null;
      }));
    }
    clients.add(pool.submit(() -> {
      try (Connection c = connect("&prepareThreshold=1");
          PreparedStatement sum = c.prepareStatement("SELECT count(*), sum(id) FROM ac")) {
        while (!stop.get()) {
          try (ResultSet rs = sum.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(0);
          } catch (SQLException e) {
            if (!"40001".equals(e.getSQLState())) {
              unexpected.add("select: " + e.getSQLState() + " " + e.getMessage());
            }
          }
        }
      }
      return null;
    }));
    try (Connection c = connect(true); Statement st = c.createStatement()) {
      for (String change : CHANGES) {
        while (ids.get() < 40 * (CHANGES.indexOf(change) + 1) && !clients.get(0).isDone()) {
          Thread.sleep(10); // poll the writers' progress (bounded by their 2000 rows each)
        }
        for (int attempt = 0; ; attempt++) {
          try {
            st.execute(change);
            break;
          } catch (SQLException e) {
            assertThat(e.getSQLState()).as(change + ": " + e.getMessage()).isEqualTo("40001");
            assertThat(attempt).as("retries of " + change).isLessThan(50);
          }
        }
      }
    }
    stop.set(true);
    for (Future<?> f : clients) {
      f.get(5, TimeUnit.MINUTES);
    }
    assertThat(unexpected).isEmpty();
    try (Connection c = connect(true); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, v, f, tag, remark FROM ac ORDER BY id")) {
      List<Integer> found = new ArrayList<>();
      while (rs.next()) {
        int id = rs.getInt(1);
        found.add(id);
        assertThat(rs.getBigDecimal(2).intValueExact()).isEqualTo(id);
        assertThat(rs.getDouble(3)).isEqualTo(0.5d);
        assertThat(rs.getString(4)).isIn("old", "new");
        assertThat(rs.getString(5)).isNull();
      }
      List<Integer> expected = new ArrayList<>(acknowledged);
      Collections.sort(expected);
      assertThat(found).isEqualTo(expected);
      assertThat(found).hasSizeGreaterThan(40 * CHANGES.size() - 1);
    }
  }
}
