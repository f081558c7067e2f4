package org.troupedb.sql.internal.plan;

import org.troupedb.sql.internal.catalog.CatalogStore;
import org.troupedb.sql.internal.catalog.Sequences;
import org.troupedb.txn.TxnService;

/**
 * The node-wide parts every statement may use, shared by all sessions of a node: the transaction
 * service, the catalog store (descriptor writes, new ids), the planner with its plan cache, and
 * the sequences' allocator; and how many statements were planned ({@code statementsPlanned}, for
 * tests and metrics).
 */
public record NodeServices(TxnService kv, CatalogStore catalogs, QueryPlanner planner, Sequences sequences,
    java.util.concurrent.atomic.AtomicLong statementsPlanned) {}
