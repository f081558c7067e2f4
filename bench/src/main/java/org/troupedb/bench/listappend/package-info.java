/**
 * A Jepsen/Elle-style list-append workload and checker over JDBC (see docs/list-append.md).
 *
 * <pre>
 *   ListAppendWorkload ──records──▶ HistoryRecorder ──▶ History (Txn: ok / fail / info)
 *   History ──▶ DependencyGraph (version orders; ww, wr, rw edges)
 *           ──▶ CycleSearch (Tarjan SCCs, short cycles over chosen edge types)
 *           ──▶ ListAppendChecker (G1a, G1b, lost appends, orders; G0, G1c, G-single, G2) ──▶ Anomaly
 * </pre>
 */
package org.troupedb.bench.listappend;
