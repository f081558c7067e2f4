package org.troupedb.sql.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Session variables with PostgreSQL's defaults, and which of them are reported to the client. */
final class Vars {
  static final Set<String> REPORTED = Set.of("server_version", "server_encoding", "client_encoding",
      "application_name", "datestyle", "timezone", "integer_datetimes", "standard_conforming_strings",
      "intervalstyle", "is_superuser", "session_authorization");

  static final Map<String, String> CANONICAL = Map.of("datestyle", "DateStyle", "timezone", "TimeZone",
      "intervalstyle", "IntervalStyle");

  private Vars() {}

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
    m.put("search_path", "\"$user\", public");
    m.put("extra_float_digits", "1");
    m.put("transaction_isolation", "serializable");
    m.put("default_transaction_isolation", "serializable");
    m.put("statement_timeout", "0");
    m.put("lock_timeout", "0");
    m.put("max_identifier_length", "63");
    return m;
  }

  /** The name a client sees (ParameterStatus spells some in mixed case). */
  static String display(String name) {
    return CANONICAL.getOrDefault(name, name);
  }
}
