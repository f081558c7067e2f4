package org.troupedb.range.journal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.scalatest.Args;
import org.scalatest.Status;
import org.scalatest.Suite;
import org.scalatest.events.Event;
import org.scalatest.events.TestCanceled;
import org.scalatest.events.TestFailed;
import org.scalatest.events.TestIgnored;
import org.scalatest.events.TestSucceeded;

/** Runs a ScalaTest suite (Pekko's persistence TCK) from JUnit and reports what each test did. */
final class ScalaSuites {
  private ScalaSuites() {}

  /** What a run did: names of tests that passed, failed (with the message) and were canceled or ignored. */
  record Outcome(List<String> succeeded, List<String> failed, List<String> skipped) {}

  static Outcome run(Suite suite) {
    List<String> ok = Collections.synchronizedList(new ArrayList<>());
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    List<String> skipped = Collections.synchronizedList(new ArrayList<>());
    org.scalatest.Reporter reporter = (Event e) -> {
      if (e instanceof TestSucceeded s) {
        ok.add(s.testName());
      } else if (e instanceof TestFailed f) {
        failed.add(f.testName() + ": " + f.message() + (f.throwable().isDefined() ? " (" + f.throwable().get() + ")" : ""));
      } else if (e instanceof TestCanceled c) {
        skipped.add(c.testName() + " (canceled: " + c.message() + ")");
      } else if (e instanceof TestIgnored i) {
        skipped.add(i.testName() + " (ignored)");
      }
    };
    Args args = Args.apply(reporter, Args.apply$default$2(), Args.apply$default$3(), Args.apply$default$4(),
        Args.apply$default$5(), Args.apply$default$6(), Args.apply$default$7(), Args.apply$default$8(),
        Args.apply$default$9(), Args.apply$default$10());
    Status status = suite.run(scala.Option.empty(), args);
    status.waitUntilCompleted();
    if (status.unreportedException().isDefined()) {
      failed.add("suite: " + status.unreportedException().get());
    }
    return new Outcome(List.copyOf(ok), List.copyOf(failed), List.copyOf(skipped));
  }
}
