package org.troupedb.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares what psql shows for the same script on two servers (PostgreSQL as the reference, a
 * TroupeDB node as the candidate), for compatibility tests.
 *
 * <pre>
 *   String diff = PsqlDiff.compareScript(Psql.to(postgres), new Psql("127.0.0.1", port, "root",
 *       "defaultdb"), Path.of("src/test/resources/compat/basic.sql"));
 *   assertThat(diff).as("TroupeDB vs PostgreSQL").isEmpty();
 * </pre>
 *
 * <p>Both runs use {@link Psql#withMergedOutput()}, so errors sit in the transcript right after
 * the statement that caused them; the diff is line based (longest common subsequence), with
 * {@code -} for reference-only and {@code +} for candidate-only lines and a few lines of context.
 */
public final class PsqlDiff {

  private static final int CONTEXT = 3;
  private static final long MAX_CELLS = 4_000_000;

  private PsqlDiff() {}

  /**
   * Runs {@code script} on both servers; returns "" if the transcripts (and exit codes) are
   * identical, else a readable diff.
   */
  public static String compareScript(Psql reference, Psql candidate, Path script) {
    Psql.Result ref = reference.withMergedOutput().runScript(script);
    Psql.Result cand = candidate.withMergedOutput().runScript(script);
    String diff = diff(ref.stdout(), cand.stdout());
    if (ref.exitCode() != cand.exitCode()) {
      diff = "exit code: reference " + ref.exitCode() + ", candidate " + cand.exitCode() + "\n"
          + diff;
    }
    return diff;
  }

  /** A line diff of two texts, "" when equal. */
  public static String diff(String reference, String candidate) {
    if (reference.equals(candidate)) {
      return "";
    }
    String[] a = reference.split("\n", -1);
    String[] b = candidate.split("\n", -1);
    List<String> ops = new ArrayList<>(); // each entry: ' ', '-' or '+' then the line
    int pre = 0;
    while (pre < a.length && pre < b.length && a[pre].equals(b[pre])) {
      ops.add(" " + a[pre++]);
    }
    int suf = 0;
    while (suf < a.length - pre && suf < b.length - pre
        && a[a.length - 1 - suf].equals(b[b.length - 1 - suf])) {
      suf++;
    }
    int n = a.length - pre - suf;
    int m = b.length - pre - suf;
    if ((long) n * m > MAX_CELLS) {
      // Too different to align cheaply: show the whole differing middle.
      for (int i = 0; i < n; i++) {
        ops.add("-" + a[pre + i]);
      }
      for (int j = 0; j < m; j++) {
        ops.add("+" + b[pre + j]);
      }
    } else {
      // lcs[i][j] = length of the longest common subsequence of the middles from i and j on
      int[][] lcs = new int[n + 1][m + 1];
      for (int i = n - 1; i >= 0; i--) {
        for (int j = m - 1; j >= 0; j--) {
          lcs[i][j] = a[pre + i].equals(b[pre + j])
              ? lcs[i + 1][j + 1] + 1
              : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        }
      }
      int i = 0;
      int j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && a[pre + i].equals(b[pre + j])) {
          ops.add(" " + a[pre + i++]);
          j++;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
          ops.add("-" + a[pre + i++]);
        } else {
          ops.add("+" + b[pre + j++]);
        }
      }
    }
    for (int k = a.length - suf; k < a.length; k++) {
      ops.add(" " + a[k]);
    }
    StringBuilder sb = new StringBuilder("--- reference\n+++ candidate\n");
    int lastPrinted = -1;
    for (int k = 0; k < ops.size(); k++) {
      if (ops.get(k).charAt(0) == ' ') {
        continue;
      }
      int from = Math.max(lastPrinted + 1, k - CONTEXT);
      if (lastPrinted >= 0 && from > lastPrinted + 1) {
        sb.append("@@\n");
      }
      int to = k;
      while (to + 1 < ops.size() && (ops.get(to + 1).charAt(0) != ' ' || hasChangeWithin(ops, to + 1))) {
        to++;
      }
      to = Math.min(ops.size() - 1, to + CONTEXT);
      for (int x = from; x <= to; x++) {
        sb.append(ops.get(x)).append('\n');
      }
      lastPrinted = to;
      k = to;
    }
    return sb.toString();
  }

  /** True when a changed line follows {@code from} within 2 * CONTEXT lines (merge the hunks). */
  private static boolean hasChangeWithin(List<String> ops, int from) {
    for (int m = from; m < Math.min(ops.size(), from + 2 * CONTEXT); m++) {
      if (ops.get(m).charAt(0) != ' ') {
        return true;
      }
    }
    return false;
  }
}
