package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * pgjdbc's DatabaseMetaData answers the same for the same schema on TroupeDB and on a real
 * PostgreSQL: each call's rows are projected onto the columns that describe the schema (names,
 * types, nullability, key sequences) and compared.
 */
class JdbcMetadataIT {
  private static final String[] SCHEMA = {
      "CREATE TABLE customers (id SERIAL PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, name TEXT,"
          + " created DATE DEFAULT '2020-01-01')",
      "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL,"
          + " total NUMERIC(10,2) DEFAULT 0, note CHAR(5), placed TIMESTAMP, paid BOOLEAN)",
      "CREATE INDEX orders_customer_idx ON orders (customer_id)",
      "CREATE INDEX orders_placed_idx ON orders (placed DESC, customer_id)",
      "ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers ON DELETE CASCADE",
      "CREATE TABLE items (order_id BIGINT, line INT, qty SMALLINT NOT NULL DEFAULT 1, price DOUBLE PRECISION,"
          + " weight REAL, PRIMARY KEY (order_id, line),"
          + " CONSTRAINT items_order FOREIGN KEY (order_id) REFERENCES orders (id) ON UPDATE RESTRICT)"};

  @RegisterExtension static final PostgresAndNode servers = new PostgresAndNode();
  static Connection pg;
  static Connection troupe;

  @BeforeAll
  static void start() throws Exception {
    pg = DriverManager.getConnection(servers.postgresJdbcUrl(""));
    troupe = DriverManager.getConnection(servers.troupeJdbcUrl(""));
    for (Connection c : List.of(pg, troupe)) {
      try (Statement st = c.createStatement()) {
        for (String ddl : SCHEMA) {
          st.execute(ddl);
        }
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {troupe, pg}) {
      if (c != null) {
        c.close();
      }
    }
  }

  interface Call {
    ResultSet on(DatabaseMetaData md) throws SQLException;
  }

  /** The rows of a metadata call, each projected onto {@code columns}, as text. */
  static List<String> rows(Connection c, Call call, String... columns) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = call.on(c.getMetaData())) {
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (String col : columns) {
          b.append(col).append('=').append(rs.getString(col)).append(' ');
        }
        out.add(b.toString().trim());
      }
    }
    return out;
  }

  void same(Call call, String... columns) throws SQLException {
    List<String> expected = rows(pg, call, columns);
    assertThat(expected).isNotNull();
    assertThat(rows(troupe, call, columns)).as("TroupeDB vs PostgreSQL").isEqualTo(expected);
  }

  @Test
  void catalogsAndSchemas() throws Exception {
    List<String> expected = new ArrayList<>(rows(pg, DatabaseMetaData::getCatalogs, "TABLE_CAT"));
    expected.remove("TABLE_CAT=template1"); // TroupeDB has no template databases
    assertThat(rows(troupe, DatabaseMetaData::getCatalogs, "TABLE_CAT")).isEqualTo(expected);
    same(DatabaseMetaData::getSchemas, "TABLE_SCHEM", "TABLE_CATALOG");
  }

  @Test
  void tables() throws Exception {
    same(md -> md.getTables(null, "public", "%", new String[] {"TABLE"}),
        "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS");
    same(md -> md.getTables(null, "public", "ord%", null), "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE");
  }

  @Test
  void columns() throws Exception {
    for (String table : List.of("customers", "orders", "items")) {
      same(md -> md.getColumns(null, "public", table, "%"), "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE",
          "TYPE_NAME", "COLUMN_SIZE", "DECIMAL_DIGITS", "NUM_PREC_RADIX", "NULLABLE", "COLUMN_DEF",
          "ORDINAL_POSITION", "IS_NULLABLE", "IS_AUTOINCREMENT");
    }
  }

  /** Foreign keys as pgjdbc reads them from pg_constraint, from both ends. */
  @Test
  void importedAndExportedKeys() throws Exception {
    String[] cols = {"PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_SCHEM", "FKTABLE_NAME",
        "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY"};
    for (String table : List.of("customers", "orders", "items")) {
      same(md -> md.getImportedKeys(null, "public", table), cols);
      same(md -> md.getExportedKeys(null, "public", table), cols);
    }
    assertThat(rows(troupe, md -> md.getImportedKeys(null, "public", "items"), "FK_NAME", "PKTABLE_NAME"))
        .containsExactly("FK_NAME=items_order PKTABLE_NAME=orders");
  }

  @Test
  void primaryKeys() throws Exception {
    for (String table : List.of("customers", "orders", "items")) {
      same(md -> md.getPrimaryKeys(null, "public", table), "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME",
          "KEY_SEQ", "PK_NAME");
    }
  }

  @Test
  void indexInfo() throws Exception {
    for (String table : List.of("customers", "orders", "items")) {
      for (boolean unique : new boolean[] {false, true}) {
        same(md -> md.getIndexInfo(null, "public", table, unique, false), "TABLE_CAT", "TABLE_SCHEM",
            "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME",
            "ASC_OR_DESC", "CARDINALITY", "PAGES", "FILTER_CONDITION");
      }
    }
  }

  /** What pgjdbc's ResultSetMetaData says about a query's columns (some of it asked of the server). */
  static List<String> describe(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      java.sql.ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        out.add(md.getColumnLabel(i) + " name=" + md.getColumnName(i) + " type=" + md.getColumnType(i) + "/"
            + md.getColumnTypeName(i) + " class=" + md.getColumnClassName(i) + " precision=" + md.getPrecision(i)
            + " scale=" + md.getScale(i) + " size=" + md.getColumnDisplaySize(i) + " nullable=" + md.isNullable(i)
            + " table=" + md.getTableName(i) + " schema=" + md.getSchemaName(i) + " auto=" + md.isAutoIncrement(i)
            + " signed=" + md.isSigned(i));
      }
    }
    return out;
  }

  @Test
  void resultSetMetaData() throws Exception {
    for (String sql : List.of("SELECT * FROM customers", "SELECT * FROM orders", "SELECT * FROM items",
        "SELECT o.id, o.id + 1 AS id_plus_one, c.email FROM orders o JOIN customers c ON c.id = o.customer_id",
        "SELECT count(*) AS n, 'x'::varchar(3) AS v, 1.5::numeric(4,1) AS d")) {
      assertThat(describe(troupe, sql)).as(sql).isEqualTo(describe(pg, sql));
    }
  }

  @Test
  void typeInfo() throws Exception {
    List<String> troupeTypes = rows(troupe, DatabaseMetaData::getTypeInfo, "TYPE_NAME", "DATA_TYPE");
    List<String> pgTypes = rows(pg, DatabaseMetaData::getTypeInfo, "TYPE_NAME", "DATA_TYPE");
    assertThat(troupeTypes).contains("TYPE_NAME=int4 DATA_TYPE=4", "TYPE_NAME=varchar DATA_TYPE=12",
        "TYPE_NAME=numeric DATA_TYPE=2", "TYPE_NAME=timestamptz DATA_TYPE=93");
    assertThat(pgTypes).containsAll(troupeTypes);
  }
}
