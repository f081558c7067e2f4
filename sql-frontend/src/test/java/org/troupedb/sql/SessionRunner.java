package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.troupedb.testkit.InMemoryTxnService;

/**
 * Runs SQL text in a {@link SqlSession} the way a simple Query does (parse, then prepare and
 * execute each statement in turn) and collects the rows, for the in-process SQL tests.
 *
 * <p>A test with one session implements this interface and names its session in {@link
 * #session()}, then calls {@code run(sql)} and {@code rows(sql)}; a test with several sessions
 * imports the static {@link #run(SqlSession, String, Object...)} and {@link #rows(SqlSession,
 * String, Object...)}. NB: the parameters go to every statement of the text, so pass them with
 * one statement only.
 */
public interface SessionRunner {

  /** The session {@link #run(String, Object...)} and {@link #rows(String, Object...)} use. */
  SqlSession session();

  /** A session as {@code root} on {@code defaultdb} of a new engine over an in-memory store. */
  static SqlSession newSession() throws SqlException {
    return TroupeSqlEngine.create(new InMemoryTxnService())
        .openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  /** Asserts that {@code sql} fails with SQLSTATE {@code state} and exactly {@code message}. */
  default void fails(String sql, String state, String message) {
    assertThatThrownBy(() -> run(sql)).isInstanceOfSatisfying(SqlException.class, e -> {
      assertThat(e.sqlState()).as(e.getMessage()).isEqualTo(state);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  default StatementResult run(String sql, Object... params) throws SqlException {
    return run(session(), sql, params);
  }

  default List<List<Object>> rows(String sql, Object... params) throws SqlException {
    return rows(session(), sql, params);
  }

  /** Executes every statement of {@code sql}; the last one's result, or null for empty text. */
  static StatementResult run(SqlSession s, String sql, Object... params) throws SqlException {
    StatementResult last = null;
    for (Statement st : s.parse(sql)) {
      last = s.execute(s.prepare(st, List.of()), Arrays.asList(params));
    }
    return last;
  }

  /** The rows of the last statement of {@code sql}, one list of values per row. */
  static List<List<Object>> rows(SqlSession s, String sql, Object... params) throws SqlException {
    return rows(run(s, sql, params));
  }

  /** Drains {@code r}'s rows, one list of values per row. */
  static List<List<Object>> rows(StatementResult r) {
    List<List<Object>> out = new ArrayList<>();
    for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
      out.add(Arrays.asList(it.next()));
    }
    return out;
  }
}
