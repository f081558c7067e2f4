package org.troupedb.bench.tpcc;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page for a {@link Report}: the summary table and two inline SVG line
 * charts over the measured window (throughput: tpmC and transactions/s; latency: p50 and p99 of
 * all transactions). No scripts and no external resources, so it opens offline.
 */
final class HtmlReport {

  private static final int WIDTH = 760;
  private static final int HEIGHT = 220;
  private static final int PAD = 50;

  private HtmlReport() {}

  static String render(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>TPC-C ")
        .append(esc(r.label())).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
            + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:3px 8px;"
            + "text-align:right}th{background:#eee}pre{background:#f6f6f6;padding:1em}</style>"
            + "</head><body>\n");
    sb.append("<h1>TPC-C ").append(esc(r.label())).append("</h1>\n<p>")
        .append(String.format(Locale.ROOT, "%d warehouses, %d terminals, %s, think times %s,"
            + " %.0f s measured after %.0f s warm-up.", r.warehouses(), r.terminals(),
            esc(r.isolation()), r.thinkTimes() ? "on" : "off", r.measuredSeconds(),
            r.warmupSeconds()))
        .append("</p>\n<p><b>").append(String.format(Locale.ROOT, "tpmC %.1f", r.tpmC()))
        .append("</b>, efficiency ")
        .append(String.format(Locale.ROOT, "%.1f%%", r.efficiencyPercent())).append(" = ")
        .append(esc(r.efficiencyFormula())).append("</p>\n");
    sb.append("<table><tr><th>transaction</th><th>mix %</th><th>commits</th><th>rollbacks</th>"
        + "<th>retries</th><th>errors</th><th>p50 ms</th><th>p90 ms</th><th>p95 ms</th>"
        + "<th>p99 ms</th><th>max ms</th></tr>\n");
    for (Report.TxnSummary s : r.transactions()) {
      sb.append(String.format(Locale.ROOT, "<tr><td style=\"text-align:left\">%s</td><td>%.1f</td>"
              + "<td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%.1f</td><td>%.1f</td>"
              + "<td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>%n", esc(s.name()), s.mixPercent(),
          s.commits(), s.rollbacks(), s.retries(), s.errors(), s.p50Ms(), s.p90Ms(), s.p95Ms(),
          s.p99Ms(), s.maxMs()));
    }
    sb.append("</table>\n<p>Delivery above: the terminal's response time (queueing the request,"
        + " clause 2.7.2).</p>\n");
    Report.DeferredDeliveries d = r.deferredDelivery();
    sb.append("<h2>Deferred Delivery (queued to completed)</h2>\n<table><tr><th>queued</th>"
        + "<th>completed</th><th>unfinished</th><th>districts skipped</th><th>p50 ms</th>"
        + "<th>p90 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>\n");
    sb.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
            + "<td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.1f</td></tr>%n",
        d.queued(), d.completed(), d.unfinished(), d.skippedDistricts(), d.p50Ms(), d.p90Ms(),
        d.p95Ms(), d.p99Ms(), d.maxMs()));
    sb.append("</table>\n<p>").append(esc(d.requirement())).append("</p>\n");
    sb.append("<h2>Throughput</h2>\n");
    List<Report.Point> pts = r.timeline().points();
    sb.append(chart(pts, "tpmC", Report.Point::tpmC, "#1f77b4", "tx/s",
        Report.Point::txPerSecond, "#ff7f0e"));
    sb.append("<h2>Latency, all transactions (ms)</h2>\n");
    sb.append(chart(pts, "p50", Report.Point::p50Ms, "#2ca02c", "p99", Report.Point::p99Ms,
        "#d62728"));
    if (!r.errorSamples().isEmpty()) {
      sb.append("<h2>Errors (first message per transaction and SQLSTATE)</h2>\n<pre>");
      r.errorSamples().forEach((k, v) -> sb.append(esc(k)).append(": ").append(esc(v))
          .append('\n'));
      sb.append("</pre>\n");
    }
    return sb.append("</body></html>\n").toString();
  }

  /** Two series over time, each scaled to its own maximum (left and right axis labels). */
  static String chart(List<Report.Point> pts, String nameA, ToDoubleFunction<Report.Point> a,
      String colourA, String nameB, ToDoubleFunction<Report.Point> b, String colourB) {
    double maxA = Math.max(1e-9, pts.stream().mapToDouble(a).max().orElse(0));
    double maxB = Math.max(1e-9, pts.stream().mapToDouble(b).max().orElse(0));
    double maxT = pts.isEmpty() ? 1 : Math.max(1, pts.get(pts.size() - 1).atSeconds());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n", WIDTH + 2 * PAD,
        HEIGHT + 2 * PAD));
    sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
        + " fill=\"none\" stroke=\"#999\"/>%n", PAD, PAD, WIDTH, HEIGHT));
    sb.append(polyline(pts, a, maxA, maxT, colourA)).append(polyline(pts, b, maxB, maxT, colourB));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">"
        + "%s (max %.1f)</text>%n", PAD, PAD - 8, colourA, nameA, maxA));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\""
        + " text-anchor=\"end\">%s (max %.1f)</text>%n", PAD + WIDTH, PAD - 8, colourB, nameB,
        maxB));
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">0 s</text>"
        + "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%.0f s</text>%n", PAD,
        PAD + HEIGHT + 16, PAD + WIDTH, PAD + HEIGHT + 16, maxT));
    return sb.append("</svg>\n").toString();
  }

  private static String polyline(List<Report.Point> pts, ToDoubleFunction<Report.Point> f,
      double max, double maxT, String colour) {
    StringBuilder sb = new StringBuilder("<polyline fill=\"none\" stroke=\"" + colour
        + "\" stroke-width=\"1.5\" points=\"");
    for (Report.Point p : pts) {
      double x = PAD + WIDTH * p.atSeconds() / maxT;
      double y = PAD + HEIGHT - HEIGHT * f.applyAsDouble(p) / max;
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return sb.append("\"/>\n").toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
