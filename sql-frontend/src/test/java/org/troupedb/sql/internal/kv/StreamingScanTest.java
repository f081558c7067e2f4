package org.troupedb.sql.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.CopyOut;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.StatementResult;
import org.troupedb.sql.TroupeSqlEngine;
import org.troupedb.sql.internal.ForwardingTxn;
import org.troupedb.sql.internal.WrappingTxnService;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.exec.StreamedResult;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

/**
 * Scans that stream ({@link PagedScan}, {@code StreamedResult}): a result larger than the
 * statement's memory budget is read page by page as it is pulled, LIMIT stops the reads, COPY TO
 * streams, and a result that fails, is closed early or outlives its block ends its transaction.
 */
class StreamingScanTest implements SessionRunner {
  private static final int ROWS = 12_000;
  private final PageCounting kv = new PageCounting();
  private SqlSession s;

  @Override
  public SqlSession session() {
    return s;
  }

  @BeforeEach
  void setUp() throws Exception {
    s = TroupeSqlEngine.create(kv).openSession(new SessionParams("root", "defaultdb", Map.of()));
    run("CREATE TABLE big (id INT PRIMARY KEY, pad TEXT)");
    for (int from = 1; from <= ROWS; from += 4000) {
      run("INSERT INTO big SELECT g, repeat('x', 200) || g FROM generate_series(" + from + ", " + (from + 3999)
          + ") g");
    }
    // ~3 MB of rows; the budget is far below: a scan that held the table would fail with 53200
    run("SET troupedb.statement_memory = '1MB'");
  }

  private StatementResult execute(String sql) throws SqlException {
    return s.execute(s.prepare(s.parse(sql).get(0), List.of()), List.of());
  }

  @Test
  void aSelectLargerThanTheBudgetStreamsPageByPage() throws Exception {
    long before = kv.pages.get();
    StatementResult r = execute("SELECT * FROM big");
    assertThat(r).isInstanceOf(StreamedResult.class);
    long atReturn = kv.pages.get() - before;
    long n = 0;
    long sum = 0;
    for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
      Object[] row = it.next();
      n++;
      sum += (Integer) row[0];
      assertThat((String) row[1]).endsWith(String.valueOf(row[0]));
    }
    assertThat(n).isEqualTo(ROWS);
    assertThat(sum).isEqualTo((long) ROWS * (ROWS + 1) / 2);
    assertThat(r.commandTag()).isEqualTo("SELECT " + ROWS);
    long pages = kv.pages.get() - before;
    assertThat(atReturn).as("pages read before the first row was returned").isLessThan(pages / 2);
    // 64, 128, 256 rows, then about PAGE_BYTES (~450 of these rows) a page
    assertThat(pages).isBetween((long) ROWS / PagedScan.MAX_PAGE, (long) ROWS / 200);
    assertThat(rows("SELECT count(*) FROM big")).containsExactly(List.of((long) ROWS));
  }

  @Test
  void limitStopsTheScanAfterItsRows() throws Exception {
    long before = kv.pages.get();
    assertThat(rows("SELECT id FROM big LIMIT 10")).hasSize(10);
    assertThat(kv.pages.get() - before).as("one first page of " + PagedScan.FIRST_PAGE + " rows").isEqualTo(1);
    before = kv.pages.get();
    assertThat(rows("SELECT id FROM big")).hasSize(ROWS);
    long all = kv.pages.get() - before;
    before = kv.pages.get();
    assertThat(rows("SELECT id FROM big WHERE id % 2 = 0 LIMIT 2000")).hasSize(2000);
    // 4000 of the 12000 rows read, in the same pages as the full scan's first ones
    assertThat(kv.pages.get() - before).isGreaterThan(1).isLessThan(all / 2);
  }

  @Test
  void copyToStdoutStreamsTheTable() throws Exception {
    long before = kv.pages.get();
    StatementResult r = execute("COPY big TO STDOUT");
    assertThat(r).isInstanceOf(CopyOut.class);
    assertThat(kv.pages.get() - before).as("nothing read before the rows are pulled").isZero();
    assertThat(SessionRunner.rows(r)).hasSize(ROWS);
    assertThat(r.commandTag()).isEqualTo("COPY " + ROWS);
    StatementResult q = execute("COPY (SELECT id FROM big WHERE id > 100) TO STDOUT");
    assertThat(SessionRunner.rows(q)).hasSize(ROWS - 100);
    assertThat(q.commandTag()).isEqualTo("COPY " + (ROWS - 100));
  }

  @Test
  void anErrorAfterTheFirstRowsEndsTheStreamAndTheSessionGoesOn() throws Exception {
    StatementResult r = execute("SELECT id, 1 / (id - 9000) FROM big");
    assertThat(r).isInstanceOf(StreamedResult.class);
    Iterator<Object[]> it = r.rows();
    Throwable e = catchThrowable(() -> {
      while (it.hasNext()) {
        it.next();
      }
    });
    assertThat(e).isInstanceOf(SqlRuntimeException.class);
    assertThat(((SqlRuntimeException) e).sqlException().sqlState()).isEqualTo("22012");
    assertThat(((StreamedResult) r).ended()).isTrue();
    assertThat(rows("SELECT count(*) FROM big")).containsExactly(List.of((long) ROWS));
  }

  @Test
  void aStreamClosedEarlyStopsReadingAndOneLeftOpenEndsWithItsBlock() throws Exception {
    StatementResult r = execute("SELECT * FROM big");
    Iterator<Object[]> it = r.rows();
    for (int i = 0; i < 3000; i++) {
      it.next();
    }
    long pages = kv.pages.get();
    r.close();
    assertThat(it.hasNext()).isFalse();
    assertThat(kv.pages.get()).isEqualTo(pages);

    run("BEGIN");
    StatementResult inBlock = execute("SELECT * FROM big");
    assertThat(inBlock.rows().next()).isNotNull();
    run("UPDATE big SET pad = 'y' WHERE id = 1");
    run("COMMIT");
    assertThat(((StreamedResult) inBlock).ended()).as("closed by COMMIT").isTrue();
    assertThat(rows("SELECT pad FROM big WHERE id = 1")).containsExactly(List.of("y"));
  }

  /** The in-memory store, counting the scan requests (pages) made on table data. */
  static final class PageCounting extends WrappingTxnService {
    final AtomicLong pages = new AtomicLong();

    @Override
    protected Txn wrap(Txn t, TxnOptions options) {
      return new ForwardingTxn(t) {
        @Override
        public CompletionStage<List<KeyValue>> scan(byte[] start, byte[] end, int limit) {
          if (start[0] == Catalog.TABLE_PREFIX) {
            pages.incrementAndGet();
          }
          return delegate.scan(start, end, limit);
        }
      };
    }
  }
}
