package org.troupedb.bench.tpcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TxnTypeTest {

  @Test
  void deckHoldsTheMix() {
    List<TxnType> deck = TxnType.deck();
    assertThat(deck).hasSize(100);
    Map<TxnType, Integer> n = new EnumMap<>(TxnType.class);
    deck.forEach(t -> n.merge(t, 1, Integer::sum));
    assertThat(n).containsEntry(TxnType.NEW_ORDER, 45).containsEntry(TxnType.PAYMENT, 43)
        .containsEntry(TxnType.ORDER_STATUS, 4).containsEntry(TxnType.DELIVERY, 4)
        .containsEntry(TxnType.STOCK_LEVEL, 4);
  }

  @Test
  void terminalsSpreadOverWarehousesThenDistricts() {
    assertThat(Terminal.homeOf(0, 2)).isEqualTo(new TpccTxn.Home(1, 1));
    assertThat(Terminal.homeOf(1, 2)).isEqualTo(new TpccTxn.Home(2, 1));
    assertThat(Terminal.homeOf(2, 2)).isEqualTo(new TpccTxn.Home(1, 2));
    assertThat(Terminal.homeOf(21, 2)).isEqualTo(new TpccTxn.Home(2, 1));
  }

  @Test
  void generatedInputsFollowTheProfiles() {
    Scale scale = Scale.spec(4);
    TpccRandom r = new TpccRandom(5, CConstants.forLoad(5));
    TpccTxn.Home home = new TpccTxn.Home(3, 7);
    int rollbacks = 0;
    int remoteLines = 0;
    int lines = 0;
    int byName = 0;
    int remotePayments = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      NewOrderTxn no = NewOrderTxn.generate(r, home, scale);
      assertThat(no.warehouse()).isEqualTo(3);
      assertThat(no.lines()).hasSizeBetween(5, 15);
      if (no.lines().get(no.lines().size() - 1).itemId() == scale.items() + 1) {
        rollbacks++;
      }
      for (NewOrderTxn.Line l : no.lines()) {
        lines++;
        remoteLines += l.supplyWarehouse() != 3 ? 1 : 0;
        assertThat(l.quantity()).isBetween(1, 10);
        assertThat(l.supplyWarehouse()).isBetween(1, 4);
      }
      PaymentTxn p = PaymentTxn.generate(r, home, scale);
      byName += p.customer().byName() ? 1 : 0;
      remotePayments += p.customer().warehouse() != 3 ? 1 : 0;
      assertThat(p.amount()).isBetween(new java.math.BigDecimal("1.00"),
          new java.math.BigDecimal("5000.00"));
      StockLevelTxn sl = StockLevelTxn.generate(r, home);
      assertThat(sl.district()).isEqualTo(7);
      assertThat(sl.threshold()).isBetween(10, 20);
    }
    assertThat((double) rollbacks / n).isBetween(0.005, 0.015);
    assertThat((double) remoteLines / lines).isBetween(0.007, 0.013);
    assertThat((double) byName / n).isBetween(0.57, 0.63);
    assertThat((double) remotePayments / n).isBetween(0.13, 0.17);
  }

  @Test
  void oneWarehouseNeverGoesRemote() {
    Scale scale = Scale.spec(1);
    TpccRandom r = new TpccRandom(9, CConstants.forLoad(9));
    for (int i = 0; i < 5_000; i++) {
      assertThat(PaymentTxn.generate(r, new TpccTxn.Home(1, 1), scale).customer().warehouse())
          .isEqualTo(1);
      NewOrderTxn.generate(r, new TpccTxn.Home(1, 1), scale).lines()
          .forEach(l -> assertThat(l.supplyWarehouse()).isEqualTo(1));
    }
  }
}
