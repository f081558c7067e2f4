package org.troupedb.sql.internal.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.troupedb.sql.PgType;

/**
 * The parameter types a client declared (Parse's type OIDs, {@code PREPARE p(int) AS …}) as far as
 * a plan depends on them: PostgreSQL gives a parameter the context leaves untyped ({@code SELECT $1},
 * {@code coalesce($1, …)}) its declared type, where TroupeDB otherwise types it as {@code text}
 * ({@link UnknownParams}). Only the types in {@link #SHAPING} change a plan; text-like and catalog
 * types (text, varchar, name, unknown, oid, …) plan as text does, so they count as undeclared and
 * such statements share the plan of the undeclared text.
 */
public final class DeclaredTypes {
  private DeclaredTypes() {}

  /** Declared types a parameter left untyped by its context is planned as (cast to). */
  private static final Set<PgType> SHAPING = EnumSet.of(PgType.BOOL, PgType.INT2, PgType.INT4, PgType.INT8,
      PgType.FLOAT4, PgType.FLOAT8, PgType.NUMERIC, PgType.DATE, PgType.TIME, PgType.TIMESTAMP,
      PgType.TIMESTAMPTZ, PgType.INTERVAL, PgType.UUID, PgType.BYTEA, PgType.BOOL_ARRAY, PgType.INT2_ARRAY,
      PgType.INT4_ARRAY, PgType.INT8_ARRAY, PgType.TEXT_ARRAY, PgType.VARCHAR_ARRAY, PgType.BPCHAR_ARRAY,
      PgType.FLOAT4_ARRAY, PgType.FLOAT8_ARRAY, PgType.NUMERIC_ARRAY, PgType.DATE_ARRAY, PgType.TIME_ARRAY,
      PgType.TIMESTAMP_ARRAY, PgType.TIMESTAMPTZ_ARRAY, PgType.UUID_ARRAY);

  /**
   * The part of {@code declared} a plan depends on, as the plan cache keys it: each type not in
   * {@link #SHAPING} null, trailing nulls dropped (so "none declared" is the empty list).
   */
  public static List<PgType> shaping(List<PgType> declared) {
    if (declared == null || declared.isEmpty()) {
      return List.of();
    }
    List<PgType> out = new ArrayList<>(declared.size());
    for (PgType t : declared) {
      out.add(t != null && SHAPING.contains(t) ? t : null);
    }
    int n = out.size();
    while (n > 0 && out.get(n - 1) == null) {
      n--;
    }
    return n == 0 ? List.of() : Collections.unmodifiableList(new ArrayList<>(out.subList(0, n)));
  }

  /** The PostgreSQL type name an untyped parameter {@code index} (0-based) is cast to. */
  static String castName(List<PgType> shaping, int index) {
    PgType t = index < shaping.size() ? shaping.get(index) : null;
    return t == null ? "text" : t.isArray() ? t.elem().typname() + "[]" : t.typname();
  }
}
