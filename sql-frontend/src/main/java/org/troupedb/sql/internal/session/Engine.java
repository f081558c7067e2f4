package org.troupedb.sql.internal.session;

import java.util.Optional;
import org.troupedb.sql.LoginRole;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SqlEngine;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.auth.Privileges;
import org.troupedb.sql.internal.catalog.AuthCatalog;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.CatalogStore;
import org.troupedb.sql.internal.catalog.Sequences;
import org.troupedb.sql.internal.plan.NodeServices;
import org.troupedb.sql.internal.plan.QueryPlanner;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;
import org.troupedb.txn.TxnService;

/** The node's SQL layer: the shared catalog cache, planner and sequences; opens sessions. */
public final class Engine implements SqlEngine {
  public final TxnService kv;
  public final CatalogStore catalog;
  public final QueryPlanner planner = new QueryPlanner();
  public final Sequences sequences;
  /** The node's advisory lock table (per node: see docs/sql.md). */
  public final org.troupedb.sql.internal.locks.AdvisoryLocks advisoryLocks =
      new org.troupedb.sql.internal.locks.AdvisoryLocks();

  public Engine(TxnService kv) throws SqlException {
    this.kv = kv;
    this.catalog = new CatalogStore(kv);
    this.sequences = new Sequences(kv);
    this.services = new NodeServices(kv, catalog, planner, sequences, statementsPlanned);
    catalog.bootstrap();
  }

  /** The parts of this node every statement's context carries. */
  public final NodeServices services;

  /** Parsed and prepared statements by text, shared by the node's sessions. */
  public final StatementCache statements = new StatementCache();
  /** The node-wide pool of query memory every statement's budget reserves from (MemoryBudget). */
  public final org.troupedb.sql.internal.errors.NodeMemory queryMemory =
      org.troupedb.sql.internal.errors.NodeMemory.fromSystemProperties();

  /** How many times a statement's text was parsed and planned ({@code Dml.plan}); for tests. */
  public final java.util.concurrent.atomic.AtomicLong statementsPlanned = new java.util.concurrent.atomic.AtomicLong();

  /** Bumped whenever the planner's cache is dropped; prepared statements' own plans check it. */
  public long planGeneration() {
    return planner.generation();
  }

  /** The shared planner (its plan cache). */
  public QueryPlanner planner() {
    return planner;
  }

  /** Statements executed by this node's sessions (each Execute, each statement of a Query). */
  final java.util.concurrent.atomic.LongAdder executions = new java.util.concurrent.atomic.LongAdder();

  @Override
  public java.util.Map<String, java.util.function.LongSupplier> counters() {
    java.util.Map<String, java.util.function.LongSupplier> m = new java.util.LinkedHashMap<>();
    m.put("troupe_sql_executions", executions::sum);
    m.put("troupe_sql_prepares", statements.prepareRequests::sum);
    m.put("troupe_sql_prepare_cache_hits", statements.prepareHits::sum);
    m.put("troupe_sql_parse_cache_hits", statements.parseHits::sum);
    m.put("troupe_sql_parses", org.troupedb.sql.parser.TroupeParser::parses);
    m.put("troupe_sql_plannings", statementsPlanned::get);
    m.put("troupe_sql_plans_built", planner::plansBuilt);
    return m;
  }

  @Override
  public SqlSession openSession(SessionParams params) throws SqlException {
    String db = params.database() == null || params.database().isEmpty() ? "defaultdb" : params.database();
    Catalog c = currentCatalog();
    String user = params.user() == null ? "root" : params.user();
    AuthCatalog.RoleDesc role = c.auth().role(user);
    if (role == null) {
      throw new SqlException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "role \"" + user + "\" does not exist");
    }
    if (!role.login()) {
      throw new SqlException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "role \"" + user + "\" is not permitted to log in");
    }
    Catalog.Database d = c.database(db);
    if (d == null) {
      throw new SqlException(SqlState.UNDEFINED_DATABASE, "database \"" + db + "\" does not exist");
    }
    Privileges.checkConnect(c, user, d);
    Session s = new Session(this, d, params);
    s.vars.internal("is_superuser", role.superuser() ? "on" : "off");
    s.vars.takeChanged();
    return s;
  }

  /** The newest catalog, read in a read-only transaction of its own. */
  private Catalog currentCatalog() throws SqlException {
    Txn txn = kv.begin(new TxnOptions(true, null, true));
    try {
      return catalog.read(txn, null);
    } finally {
      txn.rollback();
    }
  }

  @Override
  public Optional<LoginRole> lookupRole(String user) throws SqlException {
    Catalog c = currentCatalog();
    AuthCatalog.RoleDesc r = c.auth().role(user);
    return r == null ? Optional.empty()
        : Optional.of(new LoginRole(r.name(), r.superuser(), r.login(), r.verifier()));
  }
}
