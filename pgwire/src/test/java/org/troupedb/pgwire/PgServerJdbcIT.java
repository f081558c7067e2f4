package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.PGResultSetMetaData;

/** End-to-end over a real socket with pgjdbc against the fake engine. */
class PgServerJdbcIT {
  static final FakeSqlEngine ENGINE = new FakeSqlEngine();
  static PgServer server;
  static InetSocketAddress address;

  @BeforeAll
  static void start() throws InterruptedException {
    server = new PgServer(PgServerConfig.loopback(), ENGINE);
    address = server.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Connection connect(String extra) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "root");
    p.setProperty("sslmode", "disable");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + address.getPort() + "/defaultdb?" + extra, p);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prepareThreshold=5", "prepareThreshold=1", "prepareThreshold=0"})
  void everyTypeDecodes(String mode) throws SQLException {
    try (Connection c = connect(mode); PreparedStatement ps = c.prepareStatement("select types")) {
      for (int round = 0; round < 3; round++) {
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getBoolean("b")).isTrue();
          assertThat(rs.getShort("i2")).isEqualTo((short) -2);
          assertThat(rs.getInt("i4")).isEqualTo(123456);
          assertThat(rs.getLong("i8")).isEqualTo(9_007_199_254_740_993L);
          assertThat(rs.getFloat("f4")).isEqualTo(1.5f);
          assertThat(rs.getDouble("f8")).isEqualTo(0.1);
          assertThat(rs.getBigDecimal("n")).isEqualTo(new BigDecimal("-12345.6780"));
          assertThat(rs.getString("t")).isEqualTo("text ✓");
          assertThat(rs.getString("v")).isEqualTo("varchar");
          assertThat(rs.getString("bp")).isEqualTo("bpchar  ");
          assertThat(rs.getString("nm")).isEqualTo("name");
          assertThat(rs.getBytes("by")).containsExactly(0, 1, 0xFF);
          assertThat(rs.getObject("d", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
          assertThat(rs.getObject("ts", LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000));
          assertThat(rs.getObject("tz", OffsetDateTime.class).toInstant())
              .isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC).toInstant());
          assertThat(rs.getLong("o")).isEqualTo(4_000_000_000L);
          assertThat(rs.getString("iv")).isEqualTo("1 year 2 mons 3 days 04:00:05");
          assertThat(rs.getString("ch")).isEqualTo("x");
          assertThat(rs.next()).isTrue();
          for (int i = 1; i <= 18; i++) {
            assertThat(rs.getObject(i)).isNull();
          }
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }

  @Test
  void binaryTransferIsUsedOncePrepared() throws SQLException {
    try (Connection c = connect("prepareThreshold=1"); PreparedStatement ps = c.prepareStatement("select types")) {
      int binary = 0;
      for (int round = 0; round < 3; round++) {
        try (ResultSet rs = ps.executeQuery()) {
          PGResultSetMetaData md = (PGResultSetMetaData) rs.getMetaData();
          if (round > 0) {
            // pgjdbc asks for binary int2/4/8, float4/8, numeric, bytea, date, timestamp(tz)
            for (int col : new int[] {2, 3, 4, 5, 6, 7, 12, 13, 14, 15}) {
              assertThat(md.getFormat(col)).as("format of column %d", col).isEqualTo(1);
            }
            binary++;
          }
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(3)).isEqualTo(123456);
          assertThat(rs.getBigDecimal(7)).isEqualTo(new BigDecimal("-12345.6780"));
        }
      }
      assertThat(binary).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"prepareThreshold=5", "prepareThreshold=1"})
  void parametersEchoBack(String mode) throws SQLException {
    try (Connection c = connect(mode);
        PreparedStatement ps = c.prepareStatement("echo ? ? ? ? ? ? ? ? ?")) {
      for (int round = 0; round < 3; round++) {
        ps.setInt(1, -42);
        ps.setLong(2, Long.MAX_VALUE);
        ps.setDouble(3, 2.5e-300);
        ps.setBigDecimal(4, new BigDecimal("-98765432109876543210.000123"));
        ps.setString(5, "héllo");
        ps.setBytes(6, new byte[] {1, 2, (byte) 0x80});
        ps.setBoolean(7, true);
        ps.setNull(8, Types.INTEGER);
        ps.setShort(9, (short) 7);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(-42);
          assertThat(rs.getLong(2)).isEqualTo(Long.MAX_VALUE);
          assertThat(rs.getDouble(3)).isEqualTo(2.5e-300);
          assertThat(rs.getBigDecimal(4)).isEqualTo(new BigDecimal("-98765432109876543210.000123"));
          assertThat(rs.getString(5)).isEqualTo("héllo");
          assertThat(rs.getBytes(6)).containsExactly(1, 2, 0x80);
          assertThat(rs.getBoolean(7)).isTrue();
          assertThat(rs.getObject(8)).isNull();
          assertThat(rs.getShort(9)).isEqualTo((short) 7);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"prepareThreshold=5", "prepareThreshold=1"})
  void dateTimeParametersEchoBack(String mode) throws SQLException {
    OffsetDateTime tz = OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_000, ZoneOffset.ofHours(2));
    LocalDateTime ts = LocalDateTime.of(1999, 12, 31, 23, 59, 59, 1000);
    LocalDate d = LocalDate.of(2024, 2, 29);
    try (Connection c = connect(mode);
        PreparedStatement ps = c.prepareStatement("echo ?::timestamptz ?::timestamp ?::date ?::interval")) {
      for (int round = 0; round < 3; round++) {
        ps.setObject(1, tz);
        ps.setObject(2, ts);
        ps.setObject(3, d);
        // PGInterval.getValue() as untyped text: setObject(PGobject) would look the type up in pg_type
        ps.setObject(4, new org.postgresql.util.PGInterval(1, 2, -3, 4, 5, 6.5).getValue(), Types.OTHER);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(tz.toInstant());
          assertThat(rs.getObject(2, LocalDateTime.class)).isEqualTo(ts);
          assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(d);
          assertThat(rs.getString(4)).isEqualTo("1 year 2 mons -3 days +04:05:06.5");
          assertThat(new org.postgresql.util.PGInterval(rs.getString(4))).isEqualTo(new org.postgresql.util.PGInterval(1, 2, -3, 4, 5, 6.5));
        }
      }
    }
  }

  @Test
  void invalidParameterTextIs22P02AndConnectionStaysUsable() throws SQLException {
    try (Connection c = connect("stringtype=unspecified")) {
      try (PreparedStatement ps = c.prepareStatement("echo ?::int4")) {
        // Sent as text with OID 0: the engine infers int4 and the text does not parse.
        ps.setString(1, "12abc");
        assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class)
            .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22P02");
      }
      assertThat(count(c, "generate 3")).isEqualTo(3);
    }
  }

  @Test
  void metadata() throws SQLException {
    try (Connection c = connect(""); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select types")) {
      ResultSetMetaData md = rs.getMetaData();
      assertThat(md.getColumnCount()).isEqualTo(18);
      assertThat(md.getColumnName(3)).isEqualTo("i4");
      assertThat(md.getColumnType(3)).isEqualTo(Types.INTEGER);
      assertThat(md.getColumnTypeName(3)).isEqualTo("int4");
      assertThat(md.getColumnType(7)).isEqualTo(Types.NUMERIC);
      assertThat(md.getColumnType(15)).isEqualTo(Types.TIMESTAMP);
      assertThat(md.getColumnTypeName(12)).isEqualTo("bytea");
      assertThat(md.getPrecision(7)).isEqualTo(10); // numeric(10,4) from the type modifier
      assertThat(md.getScale(7)).isEqualTo(4);
      assertThat(md.getPrecision(9)).isEqualTo(20); // varchar(20)
    }
  }

  @Test
  void batchExecution() throws SQLException {
    try (Connection c = connect(""); PreparedStatement ps = c.prepareStatement("insert into t values (?)")) {
      for (int i = 0; i < 5; i++) {
        ps.setInt(1, i);
        ps.addBatch();
      }
      assertThat(ps.executeBatch()).containsExactly(1, 1, 1, 1, 1);
    }
    try (Connection c = connect(""); Statement st = c.createStatement()) {
      st.addBatch("insert into t values (1)");
      st.addBatch("fail 23505");
      st.addBatch("insert into t values (2)");
      assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
      assertThat(count(c, "generate 2")).isEqualTo(2);
    }
  }

  @Test
  void generatedKeysViaReturning() throws SQLException {
    try (Connection c = connect("");
        PreparedStatement ps = c.prepareStatement("insert into t values (?)", Statement.RETURN_GENERATED_KEYS)) {
      ps.setInt(1, 1);
      assertThat(ps.executeUpdate()).isEqualTo(1);
      try (ResultSet keys = ps.getGeneratedKeys()) {
        assertThat(keys.next()).isTrue();
        assertThat(keys.getLong("id")).isPositive();
      }
    }
  }

  @Test
  void fetchSizeInTransactionStreamsThroughSuspendedPortal() throws SQLException {
    try (Connection c = connect("")) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.setFetchSize(3);
        long before = ENGINE.generated.get();
        try (ResultSet rs = st.executeQuery("generate 1000")) {
          int n = 0;
          while (n < 3 && rs.next()) {
            assertThat(rs.getInt(1)).isEqualTo(++n);
          }
          // Only the first batch has been produced: the portal is suspended, not drained.
          assertThat(ENGINE.generated.get() - before).isLessThan(100);
          while (rs.next()) {
            assertThat(rs.getInt(1)).isEqualTo(++n);
          }
          assertThat(n).isEqualTo(1000);
        }
      }
      c.commit();
      assertThat(((PGConnection) c).getParameterStatus("server_version")).isEqualTo("15.0");
    }
  }

  @Test
  void errorsCarrySqlStateAndTransactionsRecover() throws SQLException {
    try (Connection c = connect(""); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute("fail 42P01")).isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
      assertThatThrownBy(() -> st.execute("no such statement")).isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42601");
      assertThat(count(c, "generate 4")).isEqualTo(4);
      c.setAutoCommit(false);
      assertThatThrownBy(() -> st.execute("fail 40001")).extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("40001");
      assertThatThrownBy(() -> st.execute("generate 1")).extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("25P02");
      c.rollback();
      assertThat(count(c, "generate 2")).isEqualTo(2);
      c.commit();
    }
  }

  @Test
  void setReportsParameterStatus() throws SQLException {
    try (Connection c = connect("ApplicationName=first"); Statement st = c.createStatement()) {
      assertThat(((PGConnection) c).getParameterStatus("application_name")).isEqualTo("first");
      st.execute("set application_name = 'second'");
      assertThat(((PGConnection) c).getParameterStatus("application_name")).isEqualTo("second");
    }
  }

  @Test
  void statementCancel() throws Exception {
    ENGINE.slowStarted = new java.util.concurrent.CountDownLatch(1);
    try (Connection c = connect(""); Statement st = c.createStatement()) {
      CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
        try {
          st.executeQuery("slow");
          return "completed";
        } catch (SQLException e) {
          return e.getSQLState();
        }
      });
      assertThat(ENGINE.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
      st.cancel();
      assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("57014");
      assertThat(count(c, "generate 1")).isEqualTo(1);
    }
  }

  @Test
  void nonRootUserIsRejected() {
    Properties p = new Properties();
    p.setProperty("user", "alice");
    assertThatThrownBy(() -> DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + address.getPort() + "/defaultdb?sslmode=disable", p).close())
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28000");
  }

  @Test
  void sslPreferFallsBackToPlain() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "root");
    p.setProperty("sslmode", "prefer");
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + address.getPort() + "/defaultdb", p)) {
      assertThat(count(c, "generate 2")).isEqualTo(2);
    }
  }

  @Test
  void largeResultIsStreamed() throws SQLException {
    try (Connection c = connect("")) {
      assertThat(count(c, "generate 200000")).isEqualTo(200000);
    }
  }

  static int count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }
}
