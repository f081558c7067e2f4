package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.TimeoutSetting;
import org.troupedb.sql.internal.errors.MemoryBudget;
import org.troupedb.sql.internal.errors.MemorySetting;
import org.troupedb.sql.internal.functions.PgTimeZone;
import org.troupedb.sql.parser.ast.SqlSetVariable;

/**
 * One session's run-time parameters (PostgreSQL's GUCs) with PostgreSQL's defaults: SET, RESET,
 * SHOW, and which of them are reported to the client (ParameterStatus).
 *
 * <p>As in PostgreSQL, SET is transactional: inside a transaction block, a ROLLBACK undoes the
 * block's SETs, and a SET LOCAL lasts until the block ends either way.
 */
final class Vars {
  static final Set<String> REPORTED = Set.of("server_version", "server_encoding", "client_encoding",
      "application_name", "datestyle", "timezone", "integer_datetimes", "standard_conforming_strings",
      "intervalstyle", "is_superuser", "session_authorization");

  private static final Map<String, String> CANONICAL = Map.of("datestyle", "DateStyle", "timezone", "TimeZone",
      "intervalstyle", "IntervalStyle");

  /** Parameters fixed for the server's lifetime ({@code SET} fails with 55P02). */
  private static final Set<String> FIXED = Set.of("server_version", "server_version_num", "server_encoding",
      "integer_datetimes", "max_identifier_length", "is_superuser", "session_authorization");

  /**
   * Parameters the server sets at startup (PostgreSQL's postmaster context): the pgwire server
   * passes its own values as startup options, over any the client sent; SET and RESET fail.
   */
  private static final Set<String> SERVER = Set.of("max_connections", "superuser_reserved_connections");

  /** Unquoted-identifier shape: values of list parameters (search_path) outside it are quoted. */
  private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_$]*");

  private final Map<String, String> values = defaults();
  private final Map<String, String> changed = new LinkedHashMap<>();
  /** The values when the current transaction block began, or null outside a block. */
  private Map<String, String> atBlockStart;
  /** Values SET LOCAL changed in this block, with the value each goes back to at COMMIT. */
  private final Map<String, String> localRestore = new HashMap<>();

  static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("server_version", "16.0");
    m.put("server_version_num", "160000");
    m.put("server_encoding", "UTF8");
    m.put("client_encoding", "UTF8");
    m.put("application_name", "");
    m.put("datestyle", "ISO, MDY");
    m.put("timezone", "UTC");
    m.put("integer_datetimes", "on");
    m.put("standard_conforming_strings", "on");
    m.put("intervalstyle", "postgres");
    m.put("is_superuser", "on");
    m.put("session_authorization", "root");
    m.put("role", "none");
    m.put("search_path", "\"$user\", public");
    m.put("extra_float_digits", "1");
    m.put("transaction_isolation", "serializable");
    m.put("default_transaction_isolation", "serializable");
    m.put("transaction_read_only", "off");
    m.put("default_transaction_read_only", "off");
    m.put("statement_timeout", "0");
    m.put("lock_timeout", "0");
    m.put("idle_in_transaction_session_timeout", "0");
    m.put("idle_session_timeout", "0");
    m.put("max_connections", "100");
    m.put("superuser_reserved_connections", "3");
    m.put("client_min_messages", "notice");
    m.put("bytea_output", "hex");
    m.put("synchronous_commit", "on");
    m.put("row_security", "on");
    m.put("max_identifier_length", "63");
    m.put(MemoryBudget.SETTING, MemorySetting.print(MemoryBudget.DEFAULT_BYTES));
    return m;
  }

  /** The name a client sees (ParameterStatus and SHOW spell some in mixed case). */
  static String display(String name) {
    return CANONICAL.getOrDefault(name, name);
  }

  /**
   * A startup-packet option: known parameters only, never the fixed ones, and a value that does
   * not check out (a TimeZone Java does not know, say) keeps the default.
   */
  void initial(String name, String value) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("options")) { // libpq's PGOPTIONS / pgjdbc's options: "-c name=value --name=value"
      String[] words = value.trim().split("\\s+");
      for (int i = 0; i < words.length; i++) {
        String w = words[i].equals("-c") && i + 1 < words.length ? words[++i]
            : words[i].startsWith("--") ? words[i].substring(2) : words[i].startsWith("-c") ? words[i].substring(2) : "";
        int eq = w.indexOf('=');
        String key = eq > 0 ? w.substring(0, eq).replace('-', '_').toLowerCase(Locale.ROOT) : "";
        if (eq > 0 && !key.equals(n) && !SERVER.contains(key)) {
          initial(key, w.substring(eq + 1));
        }
      }
      return;
    }
    if (values.containsKey(n) && !FIXED.contains(n)) {
      try {
        values.put(n, canonical(n, value));
      } catch (SqlException e) {
        // keep the default
      }
    }
  }

  /** The current value, or null for an unknown parameter. */
  String get(String name) {
    return values.get(name.toLowerCase(Locale.ROOT));
  }

  /** {@code SET [SESSION | LOCAL] name {TO | =} value, ... | DEFAULT}. */
  void set(SqlSetVariable set) throws SqlException {
    String name = known(set.name());
    set(name, set.isDefault() ? null : canonical(name, text(name, set)), set.local());
  }

  /**
   * {@code set_config(name, value, is_local)}: as SET (null value: DEFAULT); returns the value now
   * in force.
   */
  String setConfig(String name, String value, boolean local) throws SqlException {
    String n = known(name);
    set(n, value == null ? null : canonical(n, value), local);
    return values.get(n);
  }

  private void set(String name, String text, boolean local) throws SqlException {
    if (FIXED.contains(name)) {
      throw new SqlException("55P02", "parameter \"" + name + "\" cannot be changed");
    }
    if (SERVER.contains(name)) {
      throw serverParameter(name);
    }
    if (local && atBlockStart == null) {
      return; // PostgreSQL: WARNING, SET LOCAL can only be used in transaction blocks; no effect
    }
    String value = text == null ? defaults().getOrDefault(name, "") : text;
    if (name.equals("role") && !value.equals("none") && !value.equals(values.get("session_authorization"))) {
      // Flyway restores its connection with SET ROLE '<current_user>'; acting as another role is not built
      throw SqlException.unsupported("SET ROLE to a role other than the session user");
    }
    if (local) {
      localRestore.putIfAbsent(name, values.get(name));
    } else {
      localRestore.remove(name);
    }
    put(name, value);
  }

  /** {@code RESET name}, or {@code RESET ALL} for null. */
  void reset(String name) throws SqlException {
    Map<String, String> d = defaults();
    if (name == null) {
      for (Map.Entry<String, String> e : d.entrySet()) {
        if (!FIXED.contains(e.getKey()) && !SERVER.contains(e.getKey())) {
          put(e.getKey(), e.getValue());
        }
      }
      return;
    }
    String n = known(name);
    if (SERVER.contains(n)) {
      throw serverParameter(n);
    }
    if (!FIXED.contains(n)) {
      put(n, d.getOrDefault(n, ""));
    }
  }

  private static SqlException serverParameter(String name) {
    return new SqlException(SqlState.CANT_CHANGE_RUNTIME_PARAM,
        "parameter \"" + name + "\" cannot be changed without restarting the server");
  }

  /** A transaction block begins: remember the values a ROLLBACK restores. */
  void beginBlock() {
    atBlockStart = new HashMap<>(values);
    localRestore.clear();
  }

  /** The block ends: a rollback undoes its SETs, a commit only its SET LOCALs. */
  void endBlock(boolean committed) {
    if (atBlockStart == null) {
      return;
    }
    Map<String, String> restore = committed ? localRestore : atBlockStart;
    for (Map.Entry<String, String> e : restore.entrySet()) {
      put(e.getKey(), e.getValue());
    }
    atBlockStart = null;
    localRestore.clear();
  }

  /** Sets a value the engine itself maintains (e.g. transaction_read_only), without checks. */
  void internal(String name, String value) {
    put(name, value);
  }

  /** {@code SHOW ALL}: name, setting, description, ordered by name as PostgreSQL does. */
  List<Object[]> all() {
    List<Object[]> rows = new ArrayList<>();
    new TreeMap<>(values).forEach((k, v) -> rows.add(new Object[] {display(k), v, ""}));
    return rows;
  }

  /** The reported parameters and their values, by their client-facing names. */
  Map<String, String> reported() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : REPORTED) {
      m.put(display(k), values.get(k));
    }
    return m;
  }

  /** Reported parameters changed since the last call. */
  Map<String, String> takeChanged() {
    Map<String, String> m = new LinkedHashMap<>(changed);
    changed.clear();
    return m;
  }

  private void put(String name, String value) {
    String old = values.put(name, value);
    if (REPORTED.contains(name) && !value.equals(old)) {
      changed.put(display(name), value);
    }
  }

  /**
   * The lower-case name of a known parameter; 42704 for an unknown one, except a custom
   * {@code prefix.name}, which PostgreSQL creates on first SET.
   */
  private String known(String name) throws SqlException {
    String n = name.toLowerCase(Locale.ROOT);
    if (!values.containsKey(n) && !n.contains(".")) {
      throw new SqlException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
    }
    return n;
  }

  /** The SET values as one string, the way PostgreSQL flattens them (list items joined by ", "). */
  private static String text(String name, SqlSetVariable set) {
    StringBuilder sb = new StringBuilder();
    for (SqlNode v : set.values()) {
      String s;
      if (v instanceof SqlCharStringLiteral str) {
        s = str.getValueAs(String.class);
      } else if (v instanceof SqlNumericLiteral num) {
        s = num.toValue();
      } else if (v instanceof SqlLiteral lit && lit.getValue() instanceof Boolean b) {
        s = b ? "on" : "off";
      } else {
        s = ((SqlIdentifier) v).getSimple();
      }
      if (name.equals("search_path") && !PLAIN_NAME.matcher(s).matches()) {
        s = "\"" + s.replace("\"", "\"\"") + "\"";
      }
      sb.append(sb.length() > 0 ? ", " : "").append(s);
    }
    return sb.toString();
  }

  /** PostgreSQL's canonical spelling of a value, checked where a bad one would break output. */
  private String canonical(String name, String value) throws SqlException {
    switch (name) {
      case "timezone" -> {
        return PgTimeZone.canonical(value);
      }
      case "datestyle" -> {
        return dateStyle(value);
      }
      case TimeoutSetting.STATEMENT, TimeoutSetting.LOCK, TimeoutSetting.IDLE_IN_TRANSACTION,
          TimeoutSetting.IDLE_SESSION -> {
        return TimeoutSetting.canonical(name, value);
      }
      case MemoryBudget.SETTING -> {
        return MemorySetting.canonical(name, value);
      }
      case "transaction_isolation", "default_transaction_isolation" -> {
        // NB: every transaction is serializable; weaker levels run as serializable, as the
        // SQL standard allows (CockroachDB does the same).
        return "serializable";
      }
      default -> {
        return value;
      }
    }
  }

  /** DateStyle: output format and field order, e.g. {@code ISO, MDY}; a missing part is kept. */
  private String dateStyle(String value) throws SqlException {
    String[] cur = values.get("datestyle").split(", ");
    String format = cur[0];
    String order = cur[1];
    for (String part : value.split("[,\\s]+")) {
      switch (part.toLowerCase(Locale.ROOT)) {
        case "iso" -> format = "ISO";
        case "sql" -> format = "SQL";
        case "postgres" -> format = "Postgres";
        case "german" -> format = "German";
        case "mdy", "us", "noneuropean", "non-european" -> order = "MDY";
        case "dmy", "euro", "european" -> order = "DMY";
        case "ymd" -> order = "YMD";
        case "" -> { }
        default -> throw new SqlException(SqlState.INVALID_PARAMETER_VALUE,
            "invalid value for parameter \"DateStyle\": \"" + value + "\"");
      }
    }
    if (!format.equals("ISO")) {
      throw SqlException.unsupported("DateStyle " + format);
    }
    return format + ", " + order;
  }
}
