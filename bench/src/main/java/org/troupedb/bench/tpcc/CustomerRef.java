package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How Payment and Order-Status name their customer (clauses 2.5.1.2 and 2.6.1.2): 60% by last
 * name (NURand(255, 0, 999) syllables), 40% by number (NURand(1023, 1, 3000)).
 *
 * @param lastName the C_LAST to look up, or null when {@code id} is used
 */
record CustomerRef(int warehouse, int district, int id, String lastName) {

  static CustomerRef generate(TpccRandom r, int warehouse, int district, Scale scale) {
    if (r.percent() <= 60) {
      return new CustomerRef(warehouse, district, 0,
          TpccRandom.lastName(r.lastNameNumber(scale.maxLastNameNumber())));
    }
    return new CustomerRef(warehouse, district, r.customerId(scale.customersPerDistrict()), null);
  }

  boolean byName() {
    return lastName != null;
  }

  /**
   * The C_ID: by number as given; by last name, of all customers with that C_LAST sorted by
   * C_FIRST, the one at position ceil(n / 2).
   */
  int resolve(Connection conn) throws SQLException {
    if (!byName()) {
      return id;
    }
    List<Integer> ids = new ArrayList<>();
    try (PreparedStatement ps = Jdbc.prepare(conn,
            "SELECT c_id FROM customer WHERE c_w_id = ? AND c_d_id = ? AND c_last = ?"
                + " ORDER BY c_first",
            warehouse, district, lastName);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getInt(1));
      }
    }
    if (ids.isEmpty()) {
      throw Jdbc.missing("customer " + warehouse + "/" + district + " named " + lastName);
    }
    return ids.get((ids.size() - 1) / 2);
  }
}
