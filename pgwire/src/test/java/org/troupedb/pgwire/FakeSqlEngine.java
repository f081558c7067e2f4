package org.troupedb.pgwire;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.Interval;
import org.troupedb.sql.PgType;
import org.troupedb.sql.Prepared;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;

/**
 * A toy engine for protocol tests. Statements (case-insensitive; ';' separates):
 *
 * <pre>
 *   select types        one row with a value of every type, one row of NULLs
 *   echo $1 $2::int4 …  one row echoing the parameters (types: client hints, else the cast, else text)
 *   generate N          N rows of int4 n = 1..N, produced lazily
 *   slow                blocks until cancel() (57014), at most 30 s
 *   fail CODE [at N]    SqlException with that SQLSTATE (and position N)
 *   explode             an unexpected RuntimeException
 *   crash               an unexpected Error (as generated code can throw)
 *   lazyfail            one row, then the iterator fails with 22012
 *   begin/commit/rollback, set NAME = VALUE, insert … [returning …]
 * </pre>
 *
 * Inside a block an error moves to FAILED (25P02 until COMMIT/ROLLBACK), as in PostgreSQL.
 */
final class FakeSqlEngine implements SqlEngine {
  static final Object[] TYPES_ROW = {
      true, (short) -2, 123456, 9_007_199_254_740_993L, 1.5f, 0.1, new BigDecimal("-12345.6780"),
      "text ✓", "varchar", "bpchar  ", "name", new byte[] {0, 1, (byte) 0xFF},
      LocalDate.of(2024, 1, 2), LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000),
      OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC), 4_000_000_000L,
      new Interval(14, 3, 4 * 3_600_000_000L + 5_000_000L), "x"};
  static final List<ColumnInfo> TYPES_COLUMNS = List.of(
      ColumnInfo.of("b", PgType.BOOL), ColumnInfo.of("i2", PgType.INT2), ColumnInfo.of("i4", PgType.INT4),
      ColumnInfo.of("i8", PgType.INT8), ColumnInfo.of("f4", PgType.FLOAT4), ColumnInfo.of("f8", PgType.FLOAT8),
      new ColumnInfo("n", PgType.NUMERIC, ((10 << 16) | 4) + 4, 0, (short) 0), ColumnInfo.of("t", PgType.TEXT),
      new ColumnInfo("v", PgType.VARCHAR, 20 + 4, 0, (short) 0), ColumnInfo.of("bp", PgType.BPCHAR),
      ColumnInfo.of("nm", PgType.NAME), ColumnInfo.of("by", PgType.BYTEA), ColumnInfo.of("d", PgType.DATE),
      ColumnInfo.of("ts", PgType.TIMESTAMP), ColumnInfo.of("tz", PgType.TIMESTAMPTZ), ColumnInfo.of("o", PgType.OID),
      ColumnInfo.of("iv", PgType.INTERVAL), ColumnInfo.of("ch", PgType.CHAR));

  final AtomicInteger openSessions = new AtomicInteger();
  /** The roles {@link #lookupRole} knows (none unless a test adds them). */
  final Map<String, org.troupedb.sql.LoginRole> roles = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public java.util.Optional<org.troupedb.sql.LoginRole> lookupRole(String user) {
    return java.util.Optional.ofNullable(roles.get(user));
  }

  /** Released once per session closed. */
  final java.util.concurrent.Semaphore sessionClosed = new java.util.concurrent.Semaphore(0);
  final AtomicInteger syncs = new AtomicInteger();
  final AtomicLong ids = new AtomicLong();
  /** Rows produced by "generate" iterators, to observe laziness (portal suspension). */
  final AtomicLong generated = new AtomicLong();
  /** Rows received by "copy" statements, fields as the wire layer split them. */
  final List<List<String>> copied = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** How many "copy" statements were aborted. */
  final AtomicInteger copyAborts = new AtomicInteger();
  /** Counted down when a "slow" statement has started. */
  volatile CountDownLatch slowStarted = new CountDownLatch(1);

  @Override
  public SqlSession openSession(SessionParams params) throws SqlException {
    if (params.database().equals("nodb")) {
      throw new SqlException(SqlState.UNDEFINED_DATABASE, "database \"nodb\" does not exist");
    }
    openSessions.incrementAndGet();
    return new FakeSession(params);
  }

  record FakeStatement(String sql, int parameterCount, String commandTag) implements Statement {}

  record FakePrepared(Statement statement, List<PgType> parameterTypes, List<ColumnInfo> columns)
      implements Prepared {}

  record Result(List<ColumnInfo> columns, Iterator<Object[]> rows, String tag, int[] counter)
      implements StatementResult {
    @Override
    public String commandTag() {
      return counter == null ? tag : tag + " " + counter[0];
    }
  }

  private static final Pattern PARAM = Pattern.compile("\\$(\\d+)");
  private static final Pattern CAST = Pattern.compile("\\$(\\d+)::(\\w+)");

  final class FakeSession implements SqlSession {
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> changed = new LinkedHashMap<>();
    private TransactionStatus status = TransactionStatus.IDLE;
    private volatile CountDownLatch cancel = new CountDownLatch(1);
    private boolean closed;

    FakeSession(SessionParams p) {
      params.put("server_version", "15.0");
      params.put("server_encoding", "UTF8");
      params.put("client_encoding", "UTF8");
      params.put("DateStyle", "ISO, MDY");
      params.put("IntervalStyle", "postgres");
      params.put("TimeZone", p.options().getOrDefault("TimeZone", "UTC"));
      params.put("integer_datetimes", "on");
      params.put("standard_conforming_strings", "on");
      params.put("application_name", p.options().getOrDefault("application_name", ""));
      params.put("is_superuser", p.user().startsWith("plain") ? "off" : "on"); // "plain…": no SUPERUSER
      params.put("session_authorization", p.user());
    }

    @Override
    public List<Statement> parse(String sql) throws SqlException {
      List<Statement> out = new ArrayList<>();
      for (String part : sql.split(";")) {
        String s = part.trim();
        if (s.isEmpty()) {
          continue;
        }
        int n = 0;
        Matcher m = PARAM.matcher(s);
        while (m.find()) {
          n = Math.max(n, Integer.parseInt(m.group(1)));
        }
        String verb = s.split("\\s+")[0].toUpperCase(Locale.ROOT);
        out.add(new FakeStatement(s, n, verb));
      }
      return out;
    }

    @Override
    public Prepared prepare(Statement statement, List<PgType> hints) throws SqlException {
      String s = statement.sql().toLowerCase(Locale.ROOT);
      List<PgType> types = new ArrayList<>();
      for (int i = 0; i < statement.parameterCount(); i++) {
        PgType h = i < hints.size() ? hints.get(i) : null;
        types.add(h == null ? PgType.TEXT : h);
      }
      Matcher cast = CAST.matcher(s);
      while (cast.find()) {
        int i = Integer.parseInt(cast.group(1)) - 1;
        if (i < types.size() && (i >= hints.size() || hints.get(i) == null)) {
          for (PgType t : PgType.values()) {
            if (t.typname().equals(cast.group(2))) {
              types.set(i, t);
            }
          }
        }
      }
      List<ColumnInfo> columns;
      if (s.equals("select types")) {
        columns = TYPES_COLUMNS;
      } else if (s.startsWith("echo")) {
        columns = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
          columns.add(ColumnInfo.of("p" + (i + 1), types.get(i)));
        }
      } else if (s.startsWith("generate")) {
        columns = List.of(ColumnInfo.of("n", PgType.INT4));
      } else if (s.startsWith("insert") && s.contains("returning")) {
        columns = List.of(ColumnInfo.of("id", PgType.INT8));
      } else if (s.equals("slow") || s.equals("lazyfail")) {
        columns = List.of(ColumnInfo.of("x", PgType.INT4));
      } else if (s.matches("(begin|commit|rollback|set .*|insert.*|fail \\w+( at \\d+)?|explode|crash|copy .*|dump)")) {
        columns = List.of();
      } else {
        throw new SqlException(SqlState.SYNTAX_ERROR, "syntax error at or near \"" + s.split("\\s+")[0] + "\"");
      }
      return new FakePrepared(statement, types, columns);
    }

    @Override
    public StatementResult execute(Prepared prepared, List<Object> values) throws SqlException {
      String s = prepared.statement().sql().toLowerCase(Locale.ROOT);
      if (status == TransactionStatus.FAILED && !s.equals("commit") && !s.equals("rollback")) {
        throw new SqlException(SqlState.IN_FAILED_SQL_TRANSACTION,
            "current transaction is aborted, commands ignored until end of transaction block");
      }
      try {
        return run(s, prepared, values);
      } catch (SqlException e) {
        if (status == TransactionStatus.IN_TRANSACTION) {
          status = TransactionStatus.FAILED;
        }
        throw e;
      }
    }

    private StatementResult run(String s, Prepared prepared, List<Object> values) throws SqlException {
      List<ColumnInfo> cols = prepared.columns();
      switch (s.split("\\s+")[0]) {
        case "select":
          return rows(cols, List.of(TYPES_ROW, new Object[TYPES_ROW.length]).iterator(), "SELECT");
        case "echo":
          return rows(cols, List.<Object[]>of(values.toArray()).iterator(), "SELECT");
        case "generate": {
          int n = Integer.parseInt(s.split("\\s+")[1]);
          Iterator<Object[]> it = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
              return i < n;
            }

            @Override
            public Object[] next() {
              if (i >= n) {
                throw new NoSuchElementException();
              }
              generated.incrementAndGet();
              return new Object[] {++i};
            }
          };
          return rows(cols, it, "SELECT");
        }
        case "lazyfail": {
          Iterator<Object[]> it = new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
              return true;
            }

            @Override
            public Object[] next() {
              if (i++ == 0) {
                return new Object[] {1};
              }
              throw new IllegalStateException(new SqlException(SqlState.DIVISION_BY_ZERO, "division by zero"));
            }
          };
          return rows(cols, it, "SELECT");
        }
        case "slow":
          slowStarted.countDown();
          try {
            if (cancel.await(30, TimeUnit.SECONDS)) {
              cancel = new CountDownLatch(1);
              throw new SqlException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return rows(cols, List.<Object[]>of().iterator(), "SELECT");
        case "fail":
          String[] w = s.split("\\s+");
          throw new SqlException(w[1].toUpperCase(Locale.ROOT), "failed as asked", "some detail", "a hint",
              w.length > 3 ? Integer.parseInt(w[3]) : 0, null);
        case "copy":
          return new FakeCopyIn();
        case "dump":
          return new FakeCopyOut();
        case "explode":
          throw new IllegalStateException("secret internals");
        case "crash":
          throw new ExceptionInInitializerError(new ArithmeticException("/ by zero"));
        case "begin":
          if (status == TransactionStatus.IDLE) {
            status = TransactionStatus.IN_TRANSACTION;
          }
          return tag("BEGIN");
        case "commit":
          String t = status == TransactionStatus.FAILED ? "ROLLBACK" : "COMMIT";
          status = TransactionStatus.IDLE;
          return tag(t);
        case "rollback":
          status = TransactionStatus.IDLE;
          return tag("ROLLBACK");
        case "set": {
          String[] kv = prepared.statement().sql().substring(4).split("=", 2);
          String name = kv[0].trim().equalsIgnoreCase("timezone") ? "TimeZone" : kv[0].trim().toLowerCase(Locale.ROOT);
          String value = kv[1].trim().replace("'", "");
          params.put(name, value);
          changed.put(name, value);
          return tag("SET");
        }
        case "insert":
          if (!cols.isEmpty()) {
            return new Result(cols, List.<Object[]>of(new Object[] {ids.incrementAndGet()}).iterator(), "INSERT 0 1", null);
          }
          return tag("INSERT 0 1");
        default:
          throw new SqlException(SqlState.SYNTAX_ERROR, "unknown statement");
      }
    }

    private StatementResult rows(List<ColumnInfo> cols, Iterator<Object[]> it, String verb) {
      int[] counter = new int[1];
      Iterator<Object[]> counting = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Object[] next() {
          Object[] r = it.next();
          counter[0]++;
          return r;
        }
      };
      return new Result(cols, counting, verb, counter);
    }

    /** COPY t (a int4, b text) FROM STDIN: a field "bad" in column a fails like a bad integer. */
    private final class FakeCopyIn implements org.troupedb.sql.CopyIn {
      private int count;
      private boolean open = true;

      @Override
      public org.troupedb.sql.CopyOptions options() {
        return org.troupedb.sql.CopyOptions.defaults(org.troupedb.sql.CopyOptions.Format.TEXT);
      }

      @Override
      public String relation() {
        return "t";
      }

      @Override
      public List<ColumnInfo> columns() {
        return List.of(ColumnInfo.of("a", PgType.INT4), ColumnInfo.of("b", PgType.TEXT));
      }

      @Override
      public void write(List<String[]> rows, long firstLine) throws SqlException {
        long line = firstLine;
        for (String[] r : rows) {
          if ("bad".equals(r[0])) {
            abort();
            throw new SqlException(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type integer: \"bad\"")
                .withContext("COPY t, line " + line + ", column a: \"bad\"");
          }
          copied.add(java.util.Arrays.asList(r));
          count++;
          line++;
        }
      }

      @Override
      public void finish() {
        open = false;
      }

      @Override
      public void abort() {
        if (open) {
          open = false;
          copyAborts.incrementAndGet();
        }
      }

      @Override
      public String commandTag() {
        return "COPY " + count;
      }
    }

    /** COPY t TO STDOUT WITH CSV HEADER: two rows. */
    private static final class FakeCopyOut implements org.troupedb.sql.CopyOut {
      @Override
      public org.troupedb.sql.CopyOptions options() {
        org.troupedb.sql.CopyOptions csv = org.troupedb.sql.CopyOptions.defaults(org.troupedb.sql.CopyOptions.Format.CSV);
        return new org.troupedb.sql.CopyOptions(csv.format(), ',', "", true, '"', '"');
      }

      @Override
      public List<ColumnInfo> columns() {
        return List.of(ColumnInfo.of("a", PgType.INT4), ColumnInfo.of("b", PgType.TEXT));
      }

      @Override
      public Iterator<Object[]> rows() {
        return List.of(new Object[] {1, "x,y"}, new Object[] {2, null}).iterator();
      }

      @Override
      public String commandTag() {
        return "COPY 2";
      }
    }

    private StatementResult tag(String tag) {
      return new Result(List.of(), List.<Object[]>of().iterator(), tag, null);
    }

    @Override
    public TransactionStatus transactionStatus() {
      return status;
    }

    @Override
    public Map<String, String> reportedParameters() {
      return Map.copyOf(params);
    }

    @Override
    public Map<String, String> takeChangedParameters() {
      Map<String, String> c = Map.copyOf(changed);
      changed.clear();
      return c;
    }

    @Override
    public void sync() {
      syncs.incrementAndGet();
    }

    @Override
    public String setting(String name) {
      return params.get(name); // what "set name = value" stored
    }

    @Override
    public void cancel() {
      cancel.countDown();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        openSessions.decrementAndGet();
        sessionClosed.release();
      }
    }
  }
}
