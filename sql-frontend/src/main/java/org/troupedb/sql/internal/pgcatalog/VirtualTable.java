package org.troupedb.sql.internal.pgcatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.troupedb.sql.internal.types.Int2Vector;

/**
 * A read-only relation whose rows are computed once, on first scan, from an immutable catalog
 * snapshot (so a {@code pg_class} scan costs a list walk, never a KV read). Values are coerced to
 * Calcite's internal classes by column type when a row is added.
 */
public final class VirtualTable extends AbstractTable implements ScannableTable {

  /** Column types of the catalog relations, with their Calcite type. */
  public enum Kind {
    /** oid, regclass, regtype, regproc: 64-bit here (as {@code ColumnType} maps OIDs). */
    OID(SqlTypeName.BIGINT),
    INT2(SqlTypeName.SMALLINT),
    INT4(SqlTypeName.INTEGER),
    INT8(SqlTypeName.BIGINT),
    FLOAT4(SqlTypeName.REAL),
    BOOL(SqlTypeName.BOOLEAN),
    /** text, name, "char", and (NB: as their text form) int2vector, oidvector, pg_node_tree and acl arrays. */
    TEXT(SqlTypeName.VARCHAR),
    /** int2[] (pg_constraint.conkey): a list of Short. */
    INT2_ARRAY(SqlTypeName.ARRAY),
    /** int2vector (pg_index.indkey): an {@link Int2Vector}. */
    INT2VECTOR(SqlTypeName.ARRAY);

    final SqlTypeName sqlType;

    Kind(SqlTypeName sqlType) {
      this.sqlType = sqlType;
    }

    @SuppressWarnings("unchecked")
    Object coerce(Object v) {
      if (v == null) {
        return null;
      }
      return switch (this) {
        case OID, INT8 -> ((Number) v).longValue();
        case INT2 -> ((Number) v).shortValue();
        case INT4 -> ((Number) v).intValue();
        case FLOAT4 -> ((Number) v).floatValue();
        case BOOL -> (Boolean) v;
        case TEXT -> v.toString();
        case INT2_ARRAY -> ((List<?>) v).stream().map(e -> e == null ? null : ((Number) e).shortValue()).toList();
        case INT2VECTOR -> v instanceof Int2Vector vector ? vector : new Int2Vector((List<? extends Number>) v);
      };
    }
  }

  /** One column. */
  public record Col(String name, Kind kind) {}

  /** Receives the rows of a table as they are produced. */
  public static final class Rows {
    private final List<Col> cols;
    private final List<Object[]> out = new ArrayList<>();

    Rows(List<Col> cols) {
      this.cols = cols;
    }

    /** Adds a row; values in column order. */
    public void add(Object... values) {
      if (values.length != cols.size()) {
        throw new IllegalArgumentException("row of " + values.length + " values for " + cols.size() + " columns");
      }
      Object[] row = new Object[values.length];
      for (int i = 0; i < values.length; i++) {
        row[i] = cols.get(i).kind().coerce(values[i]);
      }
      out.add(row);
    }
  }

  private final List<Col> cols;
  private final Consumer<Rows> producer;
  private volatile List<Object[]> rows;

  VirtualTable(List<Col> cols, Consumer<Rows> producer) {
    this.cols = List.copyOf(cols);
    this.producer = producer;
  }

  /** A table with columns given as alternating name and {@link Kind}. */
  static VirtualTable of(Consumer<Rows> producer, Object... nameKind) {
    List<Col> cols = new ArrayList<>();
    for (int i = 0; i < nameKind.length; i += 2) {
      cols.add(new Col((String) nameKind[i], (Kind) nameKind[i + 1]));
    }
    return new VirtualTable(cols, producer);
  }

  /** A relation that is always empty in TroupeDB (policies, inheritance, publications, ...). */
  static VirtualTable empty(Object... nameKind) {
    return of(r -> { }, nameKind);
  }

  public List<Col> columns() {
    return cols;
  }

  /** The rows (computed once). */
  public List<Object[]> rows() {
    List<Object[]> r = rows;
    if (r == null) {
      Rows sink = new Rows(cols);
      producer.accept(sink);
      r = List.copyOf(sink.out);
      rows = r;
    }
    return r;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    RelDataTypeFactory.Builder b = f.builder();
    for (Col c : cols) {
      RelDataType t = switch (c.kind()) {
        case INT2_ARRAY -> f.createArrayType(f.createTypeWithNullability(f.createSqlType(SqlTypeName.SMALLINT), true), -1);
        case INT2VECTOR -> Int2Vector.type(f);
        default -> f.createSqlType(c.kind().sqlType);
      };
      b.add(c.name(), f.createTypeWithNullability(t, true));
    }
    return b.build();
  }

  @Override
  public Statistic getStatistic() {
    return Statistics.of(rows().size(), List.of());
  }

  /**
   * Whether a plan reads catalog relations only, or no relation at all (a psql footer over an
   * always-empty relation becomes an empty row set): such a plan stays valid through DDL, since a
   * catalog relation's row type never changes and its rows come from the executing snapshot.
   */
  public static boolean readsNoUserTable(org.apache.calcite.rel.RelNode plan) {
    List<org.apache.calcite.plan.RelOptTable> tables = org.apache.calcite.plan.RelOptUtil.findAllTables(plan);
    return tables.stream().allMatch(t -> t.unwrap(VirtualTable.class) != null);
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    return Linq4j.asEnumerable(rows());
  }
}
