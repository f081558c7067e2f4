package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Node settings read by their name, or by an older name still honoured. */
class TroupeNodeSettingTest {

  @Test
  void theNameWinsThenTheOldNameThenTheDefault() {
    String name = TroupeNode.WARM_CATALOG;
    String old = TroupeNode.WARM_CATALOG_OLD;
    assertThat(TroupeNode.setting(ConfigFactory.parseString("a = 1"), name, old, true)).isTrue();
    assertThat(TroupeNode.setting(ConfigFactory.parseString(old + " = false"), name, old, true)).isFalse();
    assertThat(TroupeNode.setting(ConfigFactory.parseString(name + " = false"), name, old, true)).isFalse();
    assertThat(TroupeNode.setting(ConfigFactory.parseString(name + " = true\n" + old + " = false"), name, old, false))
        .isTrue();
  }
}
