package org.troupedb.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal compactor re-writes mostly-dead H2 chunks and loses nothing. */
class JournalCompactorTest {

  @TempDir
  Path dir;

  @Test
  void rewritesMostlyDeadChunksAndKeepsEveryRow() throws Exception {
    StorageConfig.h2(dir); // creates the database and the journal schema
    int rows = 4_000;
    try (Connection conn = DriverManager.getConnection(StorageConfig.h2Url(dir), "sa", "")) {
      try (Statement st = conn.createStatement()) {
        st.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARBINARY(1024))");
        // H2 re-writes only chunks older than the retention time (45 s by default).
        st.execute("SET RETENTION_TIME 0");
      }
      try (JournalCompactor off = JournalCompactor.start(dir,
          new JournalCompactor.Settings(Duration.ZERO, 50, 1 << 20))) {
        assertThat(off.chunksFillRate()).isEqualTo(100); // off: no connection, nothing to measure
        assertThat(off.compactions()).isZero();
      }
      // The journal's pattern: rows appended at the end, one commit (one chunk) each. A chunk keeps
      // its last copy of a leaf page that then filled up, and little else that is still live.
      try (PreparedStatement ins = conn.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
        for (int i = 0; i < rows; i++) {
          ins.setInt(1, i);
          ins.setBytes(2, payload(i));
          ins.executeUpdate();
        }
      }
      // A long interval: the test runs the rounds itself.
      try (JournalCompactor c = JournalCompactor.start(dir,
          new JournalCompactor.Settings(Duration.ofHours(1), 50, 1 << 20))) {
        int before = c.chunksFillRate();
        assertThat(before).isLessThan(50);
        for (int round = 0; round < 200 && c.chunksFillRate() < 50; round++) {
          c.compactOnce();
        }
        assertThat(c.compactions()).isPositive();
        assertThat(c.chunksFillRate()).isGreaterThanOrEqualTo(50);
        long done = c.compactions();
        c.compactOnce(); // at the target: nothing more to do
        assertThat(c.compactions()).isEqualTo(done);
      }
    }
    // Every row is there after a reopen.
    try (Connection conn = DriverManager.getConnection(StorageConfig.h2Url(dir), "sa", "");
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, v FROM t ORDER BY id")) {
      int n = 0;
      while (rs.next()) {
        assertThat(rs.getInt(1)).isEqualTo(n);
        assertThat(rs.getBytes(2)).isEqualTo(payload(n));
        n++;
      }
      assertThat(n).isEqualTo(rows);
    }
  }

  @Test
  void refusesSettingsOutOfRange() {
    assertThatThrownBy(() -> new JournalCompactor.Settings(Duration.ofSeconds(1), 0, 1024))
        .hasMessageContaining("target-fill-rate");
    assertThatThrownBy(() -> new JournalCompactor.Settings(Duration.ofSeconds(1), 50, 0))
        .hasMessageContaining("write-bytes");
  }

  private static byte[] payload(int i) {
    byte[] b = new byte[1024];
    java.util.Arrays.fill(b, (byte) i);
    b[0] = (byte) (i >> 8);
    return b;
  }
}
