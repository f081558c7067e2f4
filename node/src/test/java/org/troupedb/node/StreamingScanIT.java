package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.troupedb.node.JdbcRows.rows;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.testkit.LocalPostgres;

/**
 * Scans that stream (issues 15 and 17): a node with a 256 MB heap and its ranges on disk answers
 * {@code SELECT * FROM big}, {@code COPY big TO STDOUT}, a pgjdbc {@code setFetchSize} cursor and a
 * {@code LIMIT} over a table about three times its heap, the rows counted on the client (a raw
 * socket client that keeps none of them); the node stays up with no OutOfMemoryError, and its GC
 * log shows the heap it used. The same scans are timed against PostgreSQL 15 on the same data.
 *
 * <p>Sizes: {@code -Dstreaming.rows} (default 160,000) rows of {@code -Dstreaming.pad} (5,000)
 * characters: ~0.8 GB.
 */
class StreamingScanIT {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingScanIT.class);
  private static final int ROWS = Integer.getInteger("streaming.rows", 160_000);
  private static final int PAD = Integer.getInteger("streaming.pad", 5_000);
  private static final int BATCH = 200; // 1 MB a statement: a 5 MB one-phase commit overran the 10 s ask on this loaded machine
  private static Path dir;
  private static NodeProcess node;

  @BeforeAll
  static void startNodeAndLoad() throws Exception {
    dir = Files.createTempDirectory("streaming-it");
    node = NodeProcess.startWithJvm(List.of("-Xmx256m", "-Xlog:gc:file=" + dir.resolve("gc.log")),
        dir.resolve("store"), NodeProcess.freePort(), "--range-storage", "disk");
    node.awaitReady();
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(node.jdbcUrl()); Statement s = c.createStatement()) {
      load(s);
    }
    LOG.info("loaded {} rows of {} characters in {} s", ROWS, PAD, (System.nanoTime() - t0) / 1_000_000_000L);
  }

  private static void load(Statement s) throws Exception {
    s.execute("CREATE TABLE big (id INT PRIMARY KEY, pad TEXT)");
    for (int from = 1; from <= ROWS; from += BATCH) {
      s.execute("INSERT INTO big SELECT g, repeat('x', " + PAD + ") FROM generate_series(" + from + ", "
          + Math.min(ROWS, from + BATCH - 1) + ") g");
    }
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      try {
        assertThat(node.output()).doesNotContain("OutOfMemoryError");
      } finally {
        node.close();
      }
    }
  }

  private static RawPgClient raw() throws Exception {
    return new RawPgClient(node.host(), node.pgPort(), "root", "defaultdb");
  }

  @Test
  void aTableThreeTimesTheHeapStreamsToSelectCopyAndACursor() throws Exception {
    try (RawPgClient c = raw()) {
      long t0 = System.nanoTime();
      RawPgClient.Counted select = c.query("SELECT * FROM big");
      long selectNanos = System.nanoTime() - t0;
      assertThat(select.rows()).isEqualTo(ROWS);
      assertThat(select.tag()).isEqualTo("SELECT " + ROWS);
      assertThat(select.bytes()).as("more bytes than the heap").isGreaterThan(2L * 256 * 1024 * 1024);
      t0 = System.nanoTime();
      RawPgClient.Counted copy = c.query("COPY big TO STDOUT");
      long copyNanos = System.nanoTime() - t0;
      assertThat(copy.rows()).isEqualTo(ROWS);
      assertThat(copy.tag()).isEqualTo("COPY " + ROWS);
      LOG.info("TroupeDB: SELECT * {} rows in {} ms ({} rows/s), COPY TO in {} ms ({} rows/s); peak heap {}",
          ROWS, selectNanos / 1_000_000, rate(ROWS, selectNanos), copyNanos / 1_000_000, rate(ROWS, copyNanos),
          peakHeap());
    }
    try (Connection c = DriverManager.getConnection(node.jdbcUrl())) {
      // pgjdbc's cursor: Execute with a row limit, PortalSuspended, Execute again on the same portal
      c.setAutoCommit(false);
      long n = 0;
      long sum = 0;
      try (Statement s = c.createStatement()) {
        s.setFetchSize(500);
        try (ResultSet rs = s.executeQuery("SELECT id, length(pad) FROM big")) {
          while (rs.next()) {
            n++;
            sum += rs.getInt(1);
            assertThat(rs.getInt(2)).isEqualTo(PAD);
          }
        }
      }
      c.commit();
      assertThat(n).isEqualTo(ROWS);
      assertThat(sum).isEqualTo((long) ROWS * (ROWS + 1) / 2);
      // pgjdbc's CopyManager (extended protocol COPY TO)
      c.setAutoCommit(true);
      long[] copied = {0};
      long copiedRows = ((PGConnection) c).getCopyAPI().copyOut("COPY big (id) TO STDOUT", new OutputStream() {
        @Override
        public void write(int b) {
          copied[0]++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
          copied[0] += len;
        }
      });
      assertThat(copiedRows).isEqualTo(ROWS);
      assertThat(copied[0]).isGreaterThan(ROWS);
    }
    try (Connection c = DriverManager.getConnection(node.jdbcUrl()); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT id FROM big LIMIT 3")).containsExactly("1", "2", "3");
      assertThat(rows(s, "SELECT count(*) FROM big")).containsExactly(String.valueOf(ROWS));
    }
    assertThat(node.output()).doesNotContain("OutOfMemoryError");
    LOG.info("load average {}", Files.readString(Path.of("/proc/loadavg")).trim());
  }

  @Test
  void postgresOnTheSameData() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start()) {
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl()); Statement s = c.createStatement()) {
        load(s);
      }
      try (RawPgClient c = new RawPgClient(pg.host(), pg.port(), pg.user(), pg.database())) {
        long t0 = System.nanoTime();
        RawPgClient.Counted select = c.query("SELECT * FROM big");
        long selectNanos = System.nanoTime() - t0;
        t0 = System.nanoTime();
        RawPgClient.Counted copy = c.query("COPY big TO STDOUT");
        long copyNanos = System.nanoTime() - t0;
        assertThat(select.rows()).isEqualTo(ROWS);
        assertThat(copy.rows()).isEqualTo(ROWS);
        LOG.info("PostgreSQL: SELECT * {} rows in {} ms ({} rows/s), COPY TO in {} ms ({} rows/s)", ROWS,
            selectNanos / 1_000_000, rate(ROWS, selectNanos), copyNanos / 1_000_000, rate(ROWS, copyNanos));
      }
    }
  }

  private static long rate(long rows, long nanos) {
    return rows * 1_000_000_000L / Math.max(1, nanos);
  }

  /** The node's largest heap before and after a collection in its GC log, e.g. "before 250M, after 120M". */
  private static String peakHeap() throws Exception {
    Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(Files.readString(dir.resolve("gc.log")));
    long before = 0;
    long after = 0;
    long committed = 0;
    while (m.find()) {
      before = Math.max(before, Long.parseLong(m.group(1)));
      after = Math.max(after, Long.parseLong(m.group(2)));
      committed = Math.max(committed, Long.parseLong(m.group(3)));
    }
    return "before GC " + before + "M, after GC " + after + "M, committed " + committed + "M";
  }
}
