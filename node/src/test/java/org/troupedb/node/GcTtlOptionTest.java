package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --gc-ttl}: a HOCON duration for {@code troupedb.kv.gc-ttl}, checked before the node starts. */
class GcTtlOptionTest {

  private static Main.StartSingleNode parse(String... args) {
    Main.StartSingleNode s = new Main.StartSingleNode();
    new CommandLine(s).parseArgs(args);
    return s;
  }

  @Test
  void durationsWithAUnitAndZeroAreAccepted() {
    Main.StartSingleNode s = parse("--gc-ttl", "90m");
    s.config();
    assertThat(s.gcTtlSetting("90m")).isEqualTo("90m");
    assertThat(s.gcTtlSetting("4h")).isEqualTo("4h");
    assertThat(s.gcTtlSetting("0")).isEqualTo("0");
  }

  @Test
  void numbersWithoutAUnitAndNonsenseAreRefused() {
    for (String bad : new String[] {"10", "soon", "-5m"}) {
      assertThatThrownBy(() -> parse("--gc-ttl", bad).config())
          .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--gc-ttl");
    }
  }
}
