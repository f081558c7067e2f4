package org.troupedb.bench.tpcc;

import java.math.BigDecimal;

/**
 * Cardinalities of the population (clause 4.3.3.1). {@link #spec(int)} is the specification's;
 * {@link #tiny(int)} is a NON-SPEC scale for fast tests only (the CLI refuses it unless the hidden
 * {@code --test-scale} flag is given), with every derived rule kept (new orders are the last 30%
 * of orders, delivered orders are the first 70%).
 *
 * @param warehouses W
 * @param items ITEM rows (100,000), also STOCK rows per warehouse
 * @param customersPerDistrict CUSTOMER rows per district (3,000), also ORDER rows per district
 * @param newOrdersPerDistrict NEW-ORDER rows per district (900): the last orders, undelivered
 */
public record Scale(int warehouses, int items, int customersPerDistrict, int newOrdersPerDistrict) {

  public static final int DISTRICTS = 10;

  public Scale {
    if (warehouses < 1) {
      throw new IllegalArgumentException("--warehouses must be >= 1");
    }
    if (items < 1 || customersPerDistrict < 1 || newOrdersPerDistrict < 1
        || newOrdersPerDistrict >= customersPerDistrict) {
      throw new IllegalArgumentException("bad scale: " + items + "/" + customersPerDistrict);
    }
  }

  public static Scale spec(int warehouses) {
    return new Scale(warehouses, 100_000, 3_000, 900);
  }

  /** NON-SPEC: 1,000 items and 30 customers/orders per district, 9 of them new. */
  public static Scale tiny(int warehouses) {
    return new Scale(warehouses, 1_000, 30, 9);
  }

  public boolean isSpec() {
    return equals(spec(warehouses));
  }

  /** Orders with O_ID below this are delivered at load (2101 at spec scale). */
  public int firstNewOrder() {
    return customersPerDistrict - newOrdersPerDistrict + 1;
  }

  /**
   * Initial D_YTD: 30,000.00 at spec scale, which is the 10.00 of each district's initial HISTORY
   * rows, so that conditions 3.3.2.8/9 hold at any scale.
   */
  public BigDecimal initialDistrictYtd() {
    return new BigDecimal("10.00").multiply(BigDecimal.valueOf(customersPerDistrict));
  }

  /** Initial W_YTD: 300,000.00 at spec scale. */
  public BigDecimal initialWarehouseYtd() {
    return initialDistrictYtd().multiply(BigDecimal.valueOf(DISTRICTS));
  }

  /** Largest last-name number a customer can have (999 at spec scale). */
  public int maxLastNameNumber() {
    return Math.min(999, customersPerDistrict - 1);
  }
}
