package org.troupedb.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command with a bounded wait, capturing stdout and stderr in temp files (so a
 * chatty child can never block on a full pipe). Package-private helper of {@link LocalPostgres}
 * and {@link Psql}.
 *
 * <p>NB: on timeout the process and all its descendants are killed and an {@link
 * IllegalStateException} is thrown; callers never see a half-finished result.
 */
final class LocalPostgresExec {

  /** What a finished command left behind. */
  record Output(int exitCode, String stdout, String stderr) {}

  private LocalPostgresExec() {}

  static Output run(
      List<String> command,
      Path workDir,
      Map<String, String> env,
      boolean mergeStderr,
      Duration timeout) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("troupedb-exec", ".out");
      err = Files.createTempFile("troupedb-exec", ".err");
      ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
      // Keep the caller's libpq settings (PGHOST, PGOPTIONS, PGSERVICE, ...) from leaking in.
      pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
      pb.environment().putAll(env);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.redirectOutput(out.toFile());
      if (mergeStderr) {
        pb.redirectErrorStream(true);
      } else {
        pb.redirectError(err.toFile());
      }
      Process p = pb.start();
      boolean finished;
      try {
        finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill(p);
        throw new IllegalStateException("interrupted while running " + command, e);
      }
      if (!finished) {
        kill(p);
        throw new IllegalStateException(
            "command timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command)
                + "\nstdout: " + Files.readString(out, StandardCharsets.UTF_8)
                + "\nstderr: " + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Output(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          mergeStderr ? "" : Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /** Runs a command and throws, with its output, unless it exits 0. */
  static Output runChecked(List<String> command, Path workDir, Duration timeout) {
    Output o = run(command, workDir, Map.of(), false, timeout);
    if (o.exitCode() != 0) {
      throw new IllegalStateException(
          "command failed (exit " + o.exitCode() + "): " + String.join(" ", command)
              + "\nstdout: " + o.stdout() + "\nstderr: " + o.stderr());
    }
    return o;
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover temp file is harmless
    }
  }
}
