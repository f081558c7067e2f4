package org.troupedb.bench.tpcc;

import java.util.ArrayList;
import java.util.List;

/**
 * The five transactions with their share of the mix (45/43/4/4/4, which meets the minimums of
 * clause 5.2.3), and their keying time and mean think time in seconds (clause 5.2.5.7).
 */
public enum TxnType {
  NEW_ORDER("New-Order", 45, 18, 12),
  PAYMENT("Payment", 43, 3, 12),
  ORDER_STATUS("Order-Status", 4, 2, 10),
  DELIVERY("Delivery", 4, 2, 5),
  STOCK_LEVEL("Stock-Level", 4, 2, 5);

  private final String title;
  private final int percent;
  private final double keyingSeconds;
  private final double meanThinkSeconds;

  TxnType(String title, int percent, double keyingSeconds, double meanThinkSeconds) {
    this.title = title;
    this.percent = percent;
    this.keyingSeconds = keyingSeconds;
    this.meanThinkSeconds = meanThinkSeconds;
  }

  public String title() {
    return title;
  }

  public int percent() {
    return percent;
  }

  public double keyingSeconds() {
    return keyingSeconds;
  }

  public double meanThinkSeconds() {
    return meanThinkSeconds;
  }

  /** One deck of 100 cards: {@link #percent()} cards of each type (clause 5.2.4.2's card deck). */
  static List<TxnType> deck() {
    List<TxnType> deck = new ArrayList<>(100);
    for (TxnType t : values()) {
      for (int i = 0; i < t.percent; i++) {
        deck.add(t);
      }
    }
    return deck;
  }
}
