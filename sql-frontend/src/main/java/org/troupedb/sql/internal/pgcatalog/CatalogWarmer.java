package org.troupedb.sql.internal.pgcatalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.Statement;
import org.troupedb.sql.StatementResult;

/**
 * Plans and runs, once per database and in the background, the catalog statements psql 15 and
 * pgjdbc 42.7 send for their meta-commands and {@code DatabaseMetaData} calls (the resource
 * {@code client-catalog-statements.sql}, captured from the real clients). Their plans then sit in
 * the planner's catalog plan cache, which outlives DDL, and the JIT has seen the planner and the
 * catalog relations, so a client's first {@code getColumns} or {@code \d} does not pay seconds of
 * Calcite planning and Janino compilation.
 *
 * <p>NB: a client arriving while a statement is being warmed waits for that plan (the cache holds
 * futures) instead of planning it a second time; startup and /health never wait for the warmer.
 */
public final class CatalogWarmer {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogWarmer.class);
  private static final String RESOURCE = "client-catalog-statements.sql";
  private static final String HEADER = "-- @ ";
  private static final String PARAMS = "-- @params ";

  /** One captured client statement: what sent it, its text, and the values of its $n (varchar). */
  public record ClientStatement(String label, String sql, List<String> params) {}

  /** What warming one database did: the statements that ran and the ones that failed, with why. */
  public record Outcome(String database, int warmed, List<String> failures) {}

  private CatalogWarmer() {}

  /**
   * Warms every database on a daemon thread of low priority; the future completes with one
   * outcome per database (never exceptionally). Cancelling it (a node stopping) stops the warmer
   * before its next statement.
   */
  public static CompletableFuture<List<Outcome>> start(SqlEngine engine) {
    CompletableFuture<List<Outcome>> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      long t0 = System.nanoTime();
      List<Outcome> outcomes = new ArrayList<>();
      try {
        for (String db : databases(engine)) {
          if (done.isCancelled()) {
            return;
          }
          outcomes.add(warm(engine, db, done::isCancelled));
        }
        LOG.info("catalog statements of psql and pgjdbc warmed in {} ms: {}", (System.nanoTime() - t0) / 1_000_000,
            outcomes);
      } catch (SqlException | RuntimeException e) {
        LOG.warn("warming the catalog statements stopped: {}", e.toString());
      }
      done.complete(List.copyOf(outcomes));
    }, "catalog-warmer");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return done;
  }

  /** Plans and runs every captured statement as root in {@code database}. */
  public static Outcome warm(SqlEngine engine, String database) throws SqlException {
    return warm(engine, database, () -> false);
  }

  private static Outcome warm(SqlEngine engine, String database, java.util.function.BooleanSupplier stop)
      throws SqlException {
    List<String> failures = new ArrayList<>();
    int warmed = 0;
    try (SqlSession s = engine.openSession(new SessionParams("root", database, Map.of()))) {
      for (ClientStatement st : statements()) {
        if (stop.getAsBoolean()) {
          break;
        }
        long t0 = System.nanoTime();
        try {
          run(s, st);
          warmed++;
          LOG.debug("warmed {} in {} ms ({})", st.label(), (System.nanoTime() - t0) / 1_000_000, database);
        } catch (SqlException | RuntimeException e) {
          failures.add(st.label() + ": " + e.getMessage());
          LOG.debug("warming {} failed ({}): {}", st.label(), database, e.toString());
        }
      }
    }
    return new Outcome(database, warmed, List.copyOf(failures));
  }

  private static void run(SqlSession s, ClientStatement st) throws SqlException {
    List<PgType> hints = Collections.nCopies(st.params().size(), PgType.VARCHAR);
    for (Statement parsed : s.parse(st.sql())) {
      StatementResult r = s.execute(s.prepare(parsed, hints), List.copyOf(st.params()));
      for (Iterator<Object[]> it = r.rows(); it.hasNext(); ) {
        it.next();
      }
    }
  }

  private static List<String> databases(SqlEngine engine) throws SqlException {
    List<String> out = new ArrayList<>();
    try (SqlSession s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()))) {
      for (Statement st : s.parse("SELECT datname FROM pg_catalog.pg_database ORDER BY datname = 'defaultdb' DESC,"
          + " datname")) {
        for (Iterator<Object[]> it = s.execute(s.prepare(st, List.of()), List.of()).rows(); it.hasNext(); ) {
          out.add((String) it.next()[0]);
        }
      }
    }
    return out;
  }

  /** The captured statements, in file order. */
  public static List<ClientStatement> statements() {
    try (InputStream in = CatalogWarmer.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("reading " + RESOURCE, e);
    }
  }

  /** Parses the resource's format (see its header). */
  static List<ClientStatement> parse(String text) {
    List<ClientStatement> out = new ArrayList<>();
    String label = null;
    List<String> params = List.of();
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(PARAMS) && label != null && sql.isEmpty()) {
        params = List.of(line.substring(PARAMS.length()).split("\\|", -1));
      } else if (line.startsWith(HEADER)) {
        add(out, label, sql, params);
        label = line.substring(HEADER.length()).trim();
        params = List.of();
        sql.setLength(0);
      } else if (label != null) {
        sql.append(line).append('\n');
      }
    }
    add(out, label, sql, params);
    return List.copyOf(out);
  }

  private static void add(List<ClientStatement> out, String label, StringBuilder sql, List<String> params) {
    if (label != null) {
      String text = sql.toString();
      while (text.endsWith("\n")) {
        text = text.substring(0, text.length() - 1);
      }
      out.add(new ClientStatement(label, text, params));
    }
  }
}
