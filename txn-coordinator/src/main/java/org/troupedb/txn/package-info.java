/**
 * Transactions over the range actors (DESIGN.md §5): {@link org.troupedb.txn.TxnService} begins a
 * {@link org.troupedb.txn.Txn}; {@link org.troupedb.txn.KvNode} starts the KV layer on a node.
 *
 * <p>A transaction is a {@code CoordinatedTxn}, a short chain of parts after CockroachDB's
 * kvcoord interceptors, each one concern and one class with its own tests:
 *
 * <pre>
 *   CoordinatedTxn    reads, writes, locking reads, savepoints, commit / rollback; state, write
 *    │                timestamp, intent keys, sequence numbers
 *    ├─ TxnReader       point reads, range-by-range scans, the uncertainty window    (TxnReaderTest)
 *    ├─ WritePipeline   explicit transactions' writes in flight, awaited per key     (WritePipelineTest)
 *    ├─ WriteBuffer     implicit transactions' writes; the one-phase commit          (WriteBufferTest)
 *    ├─ SpanRefresher   read spans, read timestamp, refresh at a pushed timestamp    (SpanRefresherTest)
 *    ├─ ConflictWaiter  push, then wait / NOWAIT / SKIP LOCKED / lock_timeout        (ConflictWaiterTest)
 *    ├─ TxnHeartbeat    the record's heartbeat; waiting; abort by a push             (TxnHeartbeatTest)
 *    ├─ TxnFinisher     EndTxn at the anchor (the commit point), remote resolution
 *    └─ CommitWait      the acknowledgement of a commit above the present            (CommitWaitUntilTest)
 *   IntentResolver      pushes other transactions' records and resolves their intents
 *   TxnCoordinator      the node's service: begins transactions, runs the heartbeat timer
 * </pre>
 *
 * <p>Threads: a {@code Txn} serves one operation at a time, but the operation continues on reply
 * threads, pipelined writes complete while the caller goes on, and the node's heartbeat timer
 * reads every live record's anchor. Each class says which lock or thread owns each of its
 * fields; the table in {@code docs/isolation.md} ("The coordinator's parts") gathers them.
 */
package org.troupedb.txn;
