package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** How {@code troupe node decommission} reads a leaving node's progress from {@code /cluster/status}. */
class DecommissionProgressTest {
  private final DecommissionProgress progress = new DecommissionProgress(new HostPort("127.0.0.1", 1),
      "127.0.0.1:27104", new PrintStream(new ByteArrayOutputStream()));

  @Test
  void aLeavingMemberIsDescribedByItsStatusAndRangesAndAGoneOneIsNull() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(progress.describe(json.readTree("""
        {"nodes": [{"address": "127.0.0.1:27101", "status": "Up", "leaseholders": 9},
                   {"address": "127.0.0.1:27104", "status": "Leaving", "leaseholders": 3}]}
        """))).isEqualTo("Leaving, 3 ranges");
    assertThat(progress.describe(json.readTree("""
        {"nodes": [{"address": "127.0.0.1:27101", "status": "Up", "leaseholders": 12}]}
        """))).isNull();
  }
}
