package org.troupedb.sql.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.troupedb.sql.SessionParams;
import org.troupedb.sql.SessionRunner;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlSession;
import org.troupedb.sql.internal.catalog.Catalog;
import org.troupedb.sql.internal.catalog.KeyEncoding;
import org.troupedb.sql.internal.catalog.Kv;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.session.Engine;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

class DropIndexTest implements SessionRunner {
  private final SessionBehaviourTest.FaultyKv kv = new SessionBehaviourTest.FaultyKv();
  private final Engine engine;
  private final SqlSession s;

  DropIndexTest() throws SqlException {
    engine = new Engine(kv);
    s = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
  }

  @Override
  public SqlSession session() {
    return s;
  }

  /** Keys under one index of {@code table}, read straight from the KV layer. */
  private int indexKeys(String table, int indexId) throws SqlException {
    Txn t = kv.begin(TxnOptions.readWrite());
    try {
      Catalog cat = engine.catalog.read(t, null);
      TableDesc d = cat.table(1, "public", table);
      byte[] prefix = Catalog.indexPrefix(d.id(), indexId);
      return Kv.await(t.scan(prefix, KeyEncoding.prefixEnd(prefix), 0), null).size();
    } finally {
      t.rollback();
    }
  }

  /** Table and index keys the query scans. */
  private int keysScanned(String sql) throws SqlException {
    kv.tableKeysScanned.set(0);
    rows(sql);
    return kv.tableKeysScanned.get();
  }

  @Test
  void dropIndexRemovesItsEntriesAndThePlannerStopsUsingIt() throws Exception {
    run("CREATE TABLE customers (id INT PRIMARY KEY, city TEXT, email TEXT)");
    run("INSERT INTO customers VALUES (1, 'Berlin', 'a@x'), (2, 'Rome', 'b@x'), (3, 'Berlin', 'c@x')");
    run("CREATE INDEX customers_city_idx ON customers (city)");
    run("CREATE UNIQUE INDEX customers_email_idx ON customers (email)");
    assertThat(indexKeys("customers", 2)).isEqualTo(3);
    assertThat(keysScanned("SELECT id FROM customers WHERE city = 'Rome'")).isEqualTo(1);

    assertThat(run("DROP INDEX customers_city_idx").commandTag()).isEqualTo("DROP INDEX");
    assertThat(indexKeys("customers", 2)).isZero();
    assertThat(keysScanned("SELECT id FROM customers WHERE city = 'Rome'")).isEqualTo(3);
    assertThat(rows("SELECT id FROM customers WHERE city = 'Berlin' ORDER BY id"))
        .containsExactly(List.of(1), List.of(3));

    // the unique index no longer refuses duplicates once dropped
    run("DROP INDEX IF EXISTS customers_email_idx");
    run("INSERT INTO customers VALUES (4, 'Paris', 'a@x')");
    assertThat(rows("SELECT count(*) FROM customers WHERE email = 'a@x'")).containsExactly(List.of(2L));

    // the name can be used again
    run("CREATE INDEX customers_city_idx ON customers (city)");
    assertThat(rows("SELECT id FROM customers WHERE city = 'Paris'")).containsExactly(List.of(4));
  }

  @Test
  void dropIndexErrorsAsPostgres() throws Exception {
    run("CREATE TABLE products (sku TEXT PRIMARY KEY)");
    assertThat(run("DROP INDEX IF EXISTS nope").commandTag()).isEqualTo("DROP INDEX");
    SqlException missing = catchThrowableOfType(() -> run("DROP INDEX nope"), SqlException.class);
    assertThat(missing.sqlState()).isEqualTo("42704");
    assertThat(missing.getMessage()).isEqualTo("index \"nope\" does not exist");
    SqlException pk = catchThrowableOfType(() -> run("DROP INDEX products_pkey"), SqlException.class);
    assertThat(pk.sqlState()).isEqualTo("2BP01");
    assertThat(pk.getMessage())
        .isEqualTo("cannot drop index products_pkey because constraint products_pkey on table products requires it");
  }
}
