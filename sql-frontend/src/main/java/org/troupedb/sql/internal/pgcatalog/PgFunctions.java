package org.troupedb.sql.internal.pgcatalog;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.TreeSet;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.troupedb.sql.internal.catalog.PgOids;

/**
 * PostgreSQL's catalog functions that need nothing but their arguments, as Calcite scalar
 * functions (each public static method is one overload, registered under its own name). Those
 * that need the catalog ({@code pg_get_indexdef}, {@code pg_get_constraintdef}, {@code ::regclass}
 * of a name) are lookups planned by {@link PgCatalogRewrites}.
 *
 * <p>{@code has_table_privilege}, {@code has_database_privilege} and {@code has_schema_privilege}
 * with two or three arguments are rewritten to look at the real grants ({@link PgCatalogRewrites});
 * the overloads here answer only the forms left (column and sequence privileges: true).
 */
public final class PgFunctions {
  private PgFunctions() {}

  /** Function names registered (for pg_proc). */
  static final List<String> NAMES = names();

  private static List<String> names() {
    TreeSet<String> n = new TreeSet<>();
    for (Method m : PgFunctions.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
        n.add(m.getName());
      }
    }
    n.add("pg_get_indexdef");
    n.add("pg_get_constraintdef");
    n.add("pg_get_serial_sequence");
    n.add("pg_get_viewdef");
    return List.copyOf(n);
  }

  /** Adds every function to {@code schema}. */
  static void register(SchemaPlus schema) {
    for (Method m : PgFunctions.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
        schema.add(m.getName(), ScalarFunctionImpl.create(m));
      }
    }
  }

  public static String format_type(Long typeOid, Integer typmod) {
    return PgDefinitions.formatType(typeOid, typmod);
  }

  public static String pg_get_userbyid(Long role) {
    if (role == null) {
      return null;
    }
    if (role == PgOids.ROOT_ROLE) {
      return "root";
    }
    return role == PgOids.DATABASE_OWNER_ROLE ? "pg_database_owner" : "unknown (OID=" + role + ")";
  }

  public static Boolean pg_table_is_visible(Long relation) {
    return relation == null ? null : true;
  }

  /**
   * {@code pg_partition_ancestors(regclass)}: there are no partitions, for which PostgreSQL returns
   * no rows; as a scalar this is NULL, which psql's "Referenced by" query ({@code confrelid IN
   * (SELECT pg_partition_ancestors('oid') UNION ALL VALUES ('oid'::regclass))}) reads the same way.
   */
  public static Long pg_partition_ancestors(String relation) {
    return null;
  }

  public static Boolean pg_type_is_visible(Long type) {
    return type == null ? null : true;
  }

  public static String pg_encoding_to_char(Integer encoding) {
    return encoding == null ? null : encoding == 6 ? "UTF8" : "";
  }

  /** adbin holds the deparsed text already (see PgCatalogTables' pg_attrdef). */
  public static String pg_get_expr(String nodeTree, Long relation) {
    return nodeTree;
  }

  public static String pg_get_expr(String nodeTree, Long relation, Boolean pretty) {
    return nodeTree;
  }

  public static String obj_description(Long object, String catalog) {
    return null;
  }

  public static String obj_description(Long object) {
    return null;
  }

  public static String shobj_description(Long object, String catalog) {
    return null;
  }

  public static String col_description(Long relation, Integer column) {
    return null;
  }

  public static Boolean pg_relation_is_publishable(Long relation) {
    return relation == null ? null : false;
  }

  public static String pg_get_statisticsobjdef_columns(Long statistics) {
    return null;
  }

  /** {@code array_to_string} of an array in its text form ({@code {a,b}}). */
  public static String array_to_string(String array, String separator) {
    if (array == null) {
      return null;
    }
    String body = array.startsWith("{") && array.endsWith("}") ? array.substring(1, array.length() - 1) : array;
    return body.isEmpty() ? "" : String.join(separator == null ? "" : separator, body.split(",", -1));
  }

  public static String quote_ident(String name) {
    return name == null ? null : PgDefinitions.quoteIdent(name);
  }

  public static Boolean has_table_privilege(String table, String privilege) {
    return true;
  }

  public static Boolean has_table_privilege(Long table, String privilege) {
    return true;
  }

  public static Boolean has_table_privilege(String user, String table, String privilege) {
    return true;
  }

  public static Boolean has_schema_privilege(String schema, String privilege) {
    return true;
  }

  public static Boolean has_schema_privilege(String user, String schema, String privilege) {
    return true;
  }

  public static Boolean has_database_privilege(String database, String privilege) {
    return true;
  }

  public static Boolean has_database_privilege(String user, String database, String privilege) {
    return true;
  }

  public static Boolean has_column_privilege(String table, String column, String privilege) {
    return true;
  }

  public static Boolean has_column_privilege(Long table, String column, String privilege) {
    return true;
  }

  public static Boolean has_sequence_privilege(String sequence, String privilege) {
    return true;
  }
}
