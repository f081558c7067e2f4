package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.troupedb.sql.internal.catalog.TableDesc;
import org.troupedb.sql.internal.kv.KvTable;

/**
 * What the planner reads off a planned tree besides its code: where each output column comes from
 * (RowDescription's table OID and attribute number), which tables it scans (the SELECT privilege
 * check) and the types of its parameters.
 */
final class RelFacts {
  private RelFacts() {}

  /** Per output column, {table OID, attnum} when it is read unchanged from a user table, else null. */
  static int[][] origins(RelRoot root) {
    int[][] out = new int[root.fields.size()][];
    var mq = root.rel.getCluster().getMetadataQuery();
    for (int i = 0; i < out.length; i++) {
      java.util.Set<org.apache.calcite.rel.metadata.RelColumnOrigin> origins =
          mq.getColumnOrigins(root.rel, root.fields.get(i).getKey());
      if (origins == null || origins.size() != 1) {
        continue;
      }
      var origin = origins.iterator().next();
      KvTable table = origin.isDerived() ? null : origin.getOriginTable().unwrap(KvTable.class);
      if (table != null) {
        out[i] = origin(table.desc, table.columnPosition(origin.getOriginColumnOrdinal()));
      }
    }
    return out;
  }

  /** {table OID, attnum} of the column at {@code position} in a table's descriptor. */
  static int[] origin(TableDesc table, int position) {
    return new int[] {(int) org.troupedb.sql.internal.catalog.PgOids.relation(table.id()),
        org.troupedb.sql.internal.catalog.PgOids.attnum(table, position)};
  }

  /**
   * RowDescription's table OID and attribute number of each output column: a column read
   * unchanged from a user table names that table and column (pgjdbc asks the catalog about them
   * for ResultSetMetaData.isNullable / getTableName / isAutoIncrement); any other has 0 and 0.
   */
  static List<org.troupedb.sql.ColumnInfo> withOrigins(List<org.troupedb.sql.ColumnInfo> cols,
      int[][] origins) {
    List<org.troupedb.sql.ColumnInfo> out = new ArrayList<>(cols);
    for (int i = 0; i < out.size() && i < origins.length; i++) {
      if (origins[i] != null && origins[i][1] > 0) {
        org.troupedb.sql.ColumnInfo c = out.get(i);
        out.set(i, new org.troupedb.sql.ColumnInfo(c.name(), c.type(), c.typeModifier(), origins[i][0],
            (short) origins[i][1]));
      }
    }
    return List.copyOf(out);
  }


  /** The ids of the tables a plan scans (for the SELECT privilege check of each execution). */
  static java.util.Set<Long> tablesRead(RelNode rel) {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    for (org.apache.calcite.plan.RelOptTable t : RelOptUtil.findTables(rel)) {
      KvTable kt = t.unwrap(KvTable.class);
      if (kt != null) {
        ids.add(kt.desc.id());
      } else if (t.getQualifiedName().get(t.getQualifiedName().size() - 1).equals("pg_authid")) {
        ids.add(QueryPlanner.PG_AUTHID);
      }
    }
    return java.util.Set.copyOf(ids);
  }

  /** The types of the parameters {@code rel} reads, by index; null for one it does not read. */
  static List<RelDataType> paramTypes(RelNode rel) {
    Map<Integer, RelDataType> found = new TreeMap<>();
    RexShuttle rex = new RexShuttle() {
      @Override
      public RexNode visitDynamicParam(RexDynamicParam p) {
        found.putIfAbsent(p.getIndex(), p.getType());
        return p;
      }
    };
    rel.accept(new RelShuttleImpl() {
      @Override
      protected RelNode visitChild(RelNode parent, int i, RelNode child) {
        child.accept(rex);
        return super.visitChild(parent, i, child);
      }

      @Override
      public RelNode visit(RelNode other) {
        other.accept(rex);
        return super.visit(other);
      }
    });
    rel.accept(rex);
    List<RelDataType> out = new ArrayList<>();
    int max = found.isEmpty() ? -1 : ((TreeMap<Integer, RelDataType>) found).lastKey();
    for (int i = 0; i <= max; i++) {
      out.add(found.get(i));
    }
    return out;
  }
}
