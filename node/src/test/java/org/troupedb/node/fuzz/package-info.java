/**
 * The pgwire mutation fuzzer run by {@code PgWireFuzzIT} on an in-process node and by {@link
 * org.troupedb.node.fuzz.WireFuzzMain} on a node process (the long run; docs/fuzzing.md).
 *
 * <pre>
 *   SeedTraffic ── pgjdbc / psql / pgbench through TrafficRecorder (a recording proxy) ──▶ seeds
 *   WireMutator ── one to four mutations per input, drawn from Random(seed · 1000003 + i)
 *   FuzzConnection ── sends it in random pieces, pads a partial message, probes, judges
 *        FrontendFraming (what the server must be waiting for) · BackendStream (what came back)
 *   WireFuzzer ── workers, counts, findings (their bytes saved for a regression test)
 *        FuzzStats (outcomes, time per input by phase, progress lines)
 *   FuzzCampaign ── WireFuzzer + a well-behaved client throughout + the no-locks check afterwards
 * </pre>
 */
package org.troupedb.node.fuzz;
