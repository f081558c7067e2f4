package org.troupedb.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.troupedb.testkit.InMemoryTxnService;
import org.troupedb.txn.KeyValue;
import org.troupedb.txn.Txn;
import org.troupedb.txn.TxnOptions;

/** DROP DATABASE of a database with tables, views and sequences drops them and their rows, as PostgreSQL does. */
class DropDatabaseTest {

  private static int tableKeys(InMemoryTxnService kv) throws Exception {
    Txn t = kv.begin(TxnOptions.readWrite());
    try {
      List<KeyValue> rows = t.scan(new byte[] {0x12}, new byte[] {0x13}, 0).toCompletableFuture().get();
      return rows.size();
    } finally {
      t.rollback();
    }
  }

  @Test
  void dropDatabaseDropsItsContents() throws Exception {
    InMemoryTxnService kv = new InMemoryTxnService();
    SqlEngine engine = TroupeSqlEngine.create(kv);
    SqlSession main = engine.openSession(new SessionParams("root", "defaultdb", Map.of()));
    SessionRunner.run(main, "CREATE DATABASE shop");
    SqlSession shop = engine.openSession(new SessionParams("root", "shop", Map.of()));
    SessionRunner.run(shop, "CREATE TABLE orders (id serial PRIMARY KEY, total int)");
    SessionRunner.run(shop, "CREATE INDEX orders_total ON orders (total)");
    SessionRunner.run(shop, "INSERT INTO orders (total) VALUES (5), (7)");
    SessionRunner.run(shop, "CREATE VIEW big_orders AS SELECT id FROM orders WHERE total > 6");
    SessionRunner.run(shop, "CREATE SEQUENCE other_seq");
    assertThat(SessionRunner.rows(shop, "SELECT * FROM big_orders")).containsExactly(List.of(2));
    assertThat(tableKeys(kv)).isEqualTo(4); // two rows, two index entries
    SessionRunner.run(main, "DROP DATABASE shop");
    assertThat(tableKeys(kv)).isZero();
    assertThat(SessionRunner.rows(main, "SELECT count(*) FROM pg_database WHERE datname = 'shop'"))
        .containsExactly(List.of(0L));
    assertThatThrownBy(() -> engine.openSession(new SessionParams("root", "shop", Map.of())))
        .isInstanceOfSatisfying(SqlException.class, e -> assertThat(e.sqlState()).isEqualTo("3D000"));
    SessionRunner.run(main, "CREATE DATABASE shop");
    SqlSession again = engine.openSession(new SessionParams("root", "shop", Map.of()));
    assertThat(SessionRunner.rows(again, "SELECT count(*) FROM pg_class WHERE relname IN ('orders', 'big_orders',"
        + " 'other_seq', 'orders_id_seq')")).containsExactly(List.of(0L));
  }
}
