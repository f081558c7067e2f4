package org.troupedb.testkit;

/**
 * A cleanup that runs once: when its owner closes, or at JVM exit if the owner never did (a test
 * that died before its {@code finally} must still not leave processes or namespaces behind).
 */
final class CleanupOnExit {
  private final Runnable cleanup;
  private final Thread hook;
  private boolean done;

  CleanupOnExit(String name, Runnable cleanup) {
    this.cleanup = cleanup;
    this.hook = new Thread(cleanup, name);
  }

  /** Registers the JVM shutdown hook. */
  void arm() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Runs the cleanup now, and drops the hook, unless it ran before. */
  synchronized void runNow() {
    if (done) {
      return;
    }
    done = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway
    }
    cleanup.run();
  }
}
