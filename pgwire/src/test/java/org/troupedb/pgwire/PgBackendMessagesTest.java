package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.PgType;

class PgBackendMessagesTest {
  private final ByteBuf out = Unpooled.buffer();

  private String hex() {
    return ByteBufUtil.hexDump(out);
  }

  @Test
  void fixedMessages() {
    PgBackendMessages.authenticationOk(out);
    assertThat(hex()).isEqualTo("52" + "00000008" + "00000000");
    out.clear();
    PgBackendMessages.readyForQuery(out, 'T');
    assertThat(hex()).isEqualTo("5a" + "00000005" + "54");
    out.clear();
    PgBackendMessages.backendKeyData(out, 1, -1);
    assertThat(hex()).isEqualTo("4b" + "0000000c" + "00000001" + "ffffffff");
    out.clear();
    PgBackendMessages.portalSuspended(out);
    PgBackendMessages.noData(out);
    PgBackendMessages.emptyQueryResponse(out);
    assertThat(hex()).isEqualTo("7300000004" + "6e00000004" + "4900000004");
  }

  @Test
  void parameterStatusAndCommandComplete() {
    PgBackendMessages.parameterStatus(out, "a", "b");
    assertThat(hex()).isEqualTo("53" + "00000008" + "6100" + "6200");
    out.clear();
    PgBackendMessages.commandComplete(out, "SELECT 1");
    assertThat(hex()).isEqualTo("43" + "0000000d" + ByteBufUtil.hexDump("SELECT 1".getBytes()) + "00");
  }

  @Test
  void rowDescriptionLayout() {
    PgBackendMessages.rowDescription(out,
        List.of(new ColumnInfo("id", PgType.INT4, -1, 16384, (short) 2)), new short[] {1});
    assertThat(hex()).isEqualTo("54" + "0000001b" + "0001" + "696400" + "00004000" + "0002" + "00000017"
        + "0004" + "ffffffff" + "0001");
  }

  @Test
  void dataRowTextBinaryAndNull() {
    List<ColumnInfo> cols = List.of(ColumnInfo.of("a", PgType.INT4), ColumnInfo.of("b", PgType.INT4),
        ColumnInfo.of("c", PgType.NUMERIC));
    PgBackendMessages.dataRow(out, new Object[] {7, 7, null}, cols, new short[] {0, 1, 0}, ZoneOffset.UTC);
    assertThat(hex()).isEqualTo("44" + "00000017" + "0003" + "00000001" + "37" + "00000004" + "00000007"
        + "ffffffff");
    out.clear();
    PgBackendMessages.dataRow(out, new Object[] {new BigDecimal("1.50")}, List.of(cols.get(2)), null, ZoneOffset.UTC);
    assertThat(hex()).isEqualTo("44" + "0000000e" + "0001" + "00000004" + ByteBufUtil.hexDump("1.50".getBytes()));
  }

  @Test
  void errorResponseFields() {
    PgBackendMessages.errorResponse(out, "ERROR", "42601", "bad", null, "h");
    List<Backend.Msg> msgs = Backend.split(out);
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0).type()).isEqualTo('E');
    assertThat(msgs.get(0).fields()).containsExactly(
        java.util.Map.entry('S', "ERROR"), java.util.Map.entry('V', "ERROR"), java.util.Map.entry('C', "42601"),
        java.util.Map.entry('M', "bad"), java.util.Map.entry('H', "h"));
  }

  @Test
  void errorResponseCarriesAPositionWhenThereIsOne() {
    PgBackendMessages.errorResponse(out, "ERROR", "42P01", "relation \"x\" does not exist", null, null, 15);
    PgBackendMessages.errorResponse(out, "ERROR", "42601", "bad", null, null, 0);
    List<Backend.Msg> msgs = Backend.split(out);
    assertThat(msgs.get(0).fields()).containsExactly(
        java.util.Map.entry('S', "ERROR"), java.util.Map.entry('V', "ERROR"), java.util.Map.entry('C', "42P01"),
        java.util.Map.entry('M', "relation \"x\" does not exist"), java.util.Map.entry('P', "15"));
    assertThat(msgs.get(1).fields()).doesNotContainKey('P');
  }

  @Test
  void parameterDescriptionAndNegotiate() {
    PgBackendMessages.parameterDescription(out, List.of(PgType.INT8, PgType.TEXT));
    assertThat(hex()).isEqualTo("74" + "0000000e" + "0002" + "00000014" + "00000019");
    out.clear();
    PgBackendMessages.negotiateProtocolVersion(out, 0, List.of("_pq_.x"));
    assertThat(hex()).isEqualTo("76" + "00000013" + "00000000" + "00000001" + ByteBufUtil.hexDump("_pq_.x".getBytes()) + "00");
  }
}
