package org.troupedb.bench.jfr;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's threads spent their time, on CPU and waiting (streamed with
 * {@link RecordingFile}, so a recording of minutes with waits from 1 ms fits in little memory).
 * Threads are grouped by name with digits dropped ({@code pgwire-session-12} becomes
 * {@code pgwire-session-#}). Prints:
 * <ul>
 *   <li>CPU ({@code jdk.CPULoad}): this JVM's and the machine's share of all cores;
 *   <li>CPU samples ({@code jdk.ExecutionSample}) per thread group and per area: the stack's first
 *       {@code org.troupedb.<module>} frame, else the library (rocksdb, calcite, janino, pekko);
 *       and the top self frames;
 *   <li>native samples ({@code jdk.NativeMethodSample}: threads in native code, e.g. RocksDB's
 *       write and fsync, socket reads) per thread group and native frame;
 *   <li>waits ({@code jdk.ThreadPark}, {@code JavaMonitorWait}, {@code JavaMonitorEnter}, recorded
 *       above the recording's threshold) in seconds summed over threads, per thread group (idle
 *       pool workers marked) and per waiting site: the first two non-lambda troupedb frames and
 *       what was parked on.
 * </ul>
 *
 * <p>{@code bench/jfr-waits FILE.jfr [TOP]} runs it from source (JDK 17, no dependencies).
 */
public final class JfrWaits {
  private static final String[][] LIBRARIES = {{"org.rocksdb", "rocksdb (journal)"}, {"org.h2", "h2"},
      {"org.apache.calcite", "calcite"}, {"org.codehaus.janino", "janino"}, {"io.netty", "netty"},
      {"org.apache.pekko", "pekko"}, {"com.fasterxml", "jackson"}};

  private final Map<String, Double> cpuThreads = new HashMap<>();
  private final Map<String, Double> cpuAreas = new HashMap<>();
  private final Map<String, Double> cpuSelf = new HashMap<>();
  private final Map<String, Double> nativeThreads = new HashMap<>();
  private final Map<String, Double> nativeTop = new HashMap<>();
  private final Map<String, Double> waitThreads = new HashMap<>();
  private final Map<String, Double> waitSites = new HashMap<>();
  private double cpuSamples;
  private double nativeSamples;
  private double jvmLoad;
  private double machineLoad;
  private int loads;

  private JfrWaits() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrWaits FILE.jfr [TOP]");
      System.exit(2);
    }
    System.out.print(summary(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 12));
  }

  /** The report of the recording {@code file}, {@code top} lines per table. */
  public static String summary(Path file, int top) throws IOException {
    JfrWaits w = new JfrWaits();
    try (RecordingFile f = new RecordingFile(file)) {
      while (f.hasMoreEvents()) {
        w.add(f.readEvent());
      }
    }
    StringWriter text = new StringWriter();
    w.print(top, new PrintWriter(text));
    return text.toString();
  }

  private void add(RecordedEvent e) {
    String type = e.getEventType().getName();
    switch (type) {
      case "jdk.CPULoad" -> {
        jvmLoad += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
        machineLoad += e.getFloat("machineTotal");
        loads++;
      }
      case "jdk.ExecutionSample" -> {
        List<String> fs = frames(e);
        String g = group(e.getThread("sampledThread"));
        cpuSamples++;
        cpuThreads.merge(g, 1.0, Double::sum);
        cpuAreas.merge(area(fs), 1.0, Double::sum);
        cpuSelf.merge(fs.isEmpty() ? "?" : fs.get(0), 1.0, Double::sum);
      }
      case "jdk.NativeMethodSample" -> {
        List<String> fs = frames(e);
        String g = group(e.getThread("sampledThread"));
        nativeSamples++;
        nativeThreads.merge(g, 1.0, Double::sum);
        nativeTop.merge(g + ": " + (fs.isEmpty() ? "?" : fs.get(0)) + " <- " + site(fs), 1.0, Double::sum);
      }
      case "jdk.ThreadPark", "jdk.JavaMonitorWait", "jdk.JavaMonitorEnter" -> {
        List<String> fs = frames(e);
        String g = group(e.getThread());
        double secs = e.getDuration().toNanos() / 1e9;
        String field = type.equals("jdk.ThreadPark") ? "parkedClass" : "monitorClass";
        jdk.jfr.consumer.RecordedClass on = e.hasField(field) ? e.getValue(field) : null;
        String what = on == null ? "" : on.getName();
        String kind = type.substring(4);
        boolean idle = what.contains("ForkJoinPool");
        waitThreads.merge(g + " (" + kind + (idle ? ", idle pool worker" : "") + ")", secs, Double::sum);
        if (!idle) {
          waitSites.merge(g + ": " + site(fs) + " [" + what + "]", secs, Double::sum);
        }
      }
      default -> { }
    }
  }

  private static List<String> frames(RecordedEvent e) {
    List<String> out = new ArrayList<>();
    if (e.getStackTrace() != null) {
      for (RecordedFrame f : e.getStackTrace().getFrames()) {
        out.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
      }
    }
    return out;
  }

  private static String group(RecordedThread t) {
    String name = t == null ? null : t.getJavaName();
    return name == null ? "?" : name.replaceAll("\\d+", "#");
  }

  private static String area(List<String> fs) {
    for (String f : fs) {
      if (f.startsWith("org.troupedb.")) {
        String rest = f.substring("org.troupedb.".length());
        return "troupedb." + rest.substring(0, Math.max(0, rest.indexOf('.')));
      }
    }
    for (String f : fs) {
      for (String[] lib : LIBRARIES) {
        if (f.startsWith(lib[0])) {
          return lib[1];
        }
      }
    }
    return "jdk/other";
  }

  /** The first two org.troupedb frames that are not lambdas: the waiting code and its caller. */
  private static String site(List<String> fs) {
    List<String> ours = new ArrayList<>();
    for (String f : fs) {
      if (f.startsWith("org.troupedb.") && !f.contains("$$Lambda") && ours.size() < 2) {
        ours.add(f.substring("org.troupedb.".length()));
      }
    }
    return ours.isEmpty() ? (fs.isEmpty() ? "?" : fs.get(0)) : String.join(" < ", ours);
  }

  private void print(int top, PrintWriter out) {
    if (loads > 0) {
      out.printf(Locale.ROOT, "CPU (jdk.CPULoad, share of all cores): this JVM %.0f%%, the machine %.0f%%%n",
          100 * jvmLoad / loads, 100 * machineLoad / loads);
    }
    out.printf(Locale.ROOT, "CPU samples (jdk.ExecutionSample): %.0f%n", cpuSamples);
    show(out, " by thread group:", cpuThreads, cpuSamples, top, false);
    show(out, " by area (first org.troupedb module in the stack, else the library):", cpuAreas, cpuSamples, top, false);
    show(out, " top self frames:", cpuSelf, cpuSamples, top, false);
    out.printf(Locale.ROOT, "Native samples (jdk.NativeMethodSample, threads in native code): %.0f%n",
        nativeSamples);
    show(out, " by thread group:", nativeThreads, nativeSamples, top, false);
    show(out, " top (thread group: native frame <- first troupedb frames):", nativeTop, nativeSamples, top, false);
    double total = waitThreads.values().stream().mapToDouble(Double::doubleValue).sum();
    out.printf(Locale.ROOT, "Waits >= threshold (park / monitor wait / monitor enter): %.1f s summed over threads%n",
        total);
    show(out, " by thread group:", waitThreads, total, top, true);
    double busy = waitSites.values().stream().mapToDouble(Double::doubleValue).sum();
    out.printf(Locale.ROOT,
        " by site, idle pool workers left out (%.1f s): thread group: waiting troupedb frame < caller [parked on]%n", busy);
    show(out, "", waitSites, busy, top, true);
    out.flush();
  }

  private static void show(PrintWriter out, String title, Map<String, Double> counts, double total, int top, boolean seconds) {
    if (!title.isEmpty()) {
      out.println(title);
    }
    counts.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
        .forEach(en -> out.printf(Locale.ROOT, seconds ? "  %8.1f s %5.1f%%  %s%n" : "  %8.0f %5.1f%%  %s%n",
            en.getValue(), total > 0 ? 100 * en.getValue() / total : 0.0, en.getKey()));
  }

}
