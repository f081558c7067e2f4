package org.troupedb.sql.internal.functions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.PgJson;

/**
 * What the jsonb operators and functions compute, on values as they travel (a jsonb is its
 * normalised text, see {@link PgJson}). Each call reads its arguments' text with
 * {@link PgJson#parse} and prints what it returns. NB: public for generated code.
 */
public final class JsonOps {
  private JsonOps() {}

  private static Object read(Object json) {
    try {
      return PgJson.parse(json.toString());
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
  }

  /** A cast to jsonb: the normalised text. */
  public static String castJsonb(Object v) {
    return PgJson.print(read(v));
  }

  /** A cast to json: the text, checked. */
  public static String castJson(Object v) {
    read(v);
    return v.toString();
  }

  /** {@code ->}: an object's field (text key) or an array's element (integer, negative from the end). */
  public static String get(Object json, Object key) {
    Object v = step(read(json), key);
    return v == null ? null : PgJson.print(v);
  }

  /** {@code ->>}: as {@link #get}, a string as its text and JSON null as SQL NULL. */
  public static String getText(Object json, Object key) {
    return text(step(read(json), key));
  }

  /** {@code #>}: the value at a path of keys and array subscripts ({@code '{a,1}'}). */
  public static String path(Object json, Object path) {
    Object v = walk(read(json), keys(path));
    return v == null ? null : PgJson.print(v);
  }

  /** {@code #>>} and {@code jsonb_extract_path_text}. */
  public static String pathText(Object json, Object path) {
    return text(walk(read(json), keys(path)));
  }

  /** {@code jsonb_extract_path_text(json, VARIADIC keys)}. */
  public static String extractPathText(Object[] args) {
    if (args[0] == null) {
      return null;
    }
    List<String> keys = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i] == null) {
        return null;
      }
      keys.add(args[i].toString());
    }
    return text(walk(read(args[0]), keys));
  }

  private static Object walk(Object v, List<String> keys) {
    for (String k : keys) {
      if (v instanceof List<?>) {
        try {
          v = step(v, Integer.parseInt(k.trim()));
        } catch (NumberFormatException e) {
          return null;
        }
      } else {
        v = step(v, k);
      }
      if (v == null) {
        return null;
      }
    }
    return v;
  }

  private static Object step(Object v, Object key) {
    if (key instanceof Number n && v instanceof List<?> l) {
      int i = n.intValue();
      i = i < 0 ? l.size() + i : i;
      return i >= 0 && i < l.size() ? l.get(i) : null;
    }
    if (key instanceof String s && v instanceof Map<?, ?> m) {
      return m.get(s);
    }
    return null;
  }

  private static String text(Object v) {
    return v == null || v == PgJson.NULL ? null : v instanceof String s ? s : PgJson.print(v);
  }

  /** The elements of a text[] argument: a list, or PostgreSQL's array text ({@code {a,"b c"}}). */
  static List<String> keys(Object array) {
    List<String> out = new ArrayList<>();
    if (array instanceof List<?> l) {
      for (Object o : l) {
        out.add(o == null ? null : o.toString());
      }
      return out;
    }
    String s = array.toString().trim();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      throw new SqlRuntimeException(new SqlException(SqlState.INVALID_TEXT_REPRESENTATION,
          "malformed array literal: \"" + s + "\"", "Array value must start with \"{\" or dimension information.",
          null, null));
    }
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < s.length() - 1) {
          cur.append(s.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        out.add(element(cur, wasQuoted));
        cur.setLength(0);
        wasQuoted = false;
      } else if (!Character.isWhitespace(c) || cur.length() > 0) {
        cur.append(c);
      }
    }
    if (s.length() > 2) {
      out.add(element(cur, wasQuoted));
    }
    return out;
  }

  private static String element(StringBuilder cur, boolean quoted) {
    String e = quoted ? cur.toString() : cur.toString().strip();
    return !quoted && e.equalsIgnoreCase("NULL") ? null : e;
  }

  /** {@code @>}: does {@code a} contain {@code b} (PostgreSQL's {@code JsonbDeepContains})? */
  public static boolean contains(Object a, Object b) {
    Object x = read(a);
    Object y = read(b);
    if (x instanceof List<?> l && !(y instanceof List<?>) && !(y instanceof Map<?, ?>)) {
      return l.stream().anyMatch(e -> same(e, y)); // an array contains a scalar it has at top level
    }
    return deepContains(x, y);
  }

  /** {@code <@}. */
  public static boolean containedIn(Object a, Object b) {
    return contains(b, a);
  }

  private static boolean deepContains(Object x, Object y) {
    if (x instanceof Map<?, ?> mx && y instanceof Map<?, ?> my) {
      for (Map.Entry<?, ?> e : my.entrySet()) {
        Object v = mx.get(e.getKey());
        if (v == null || !deepContains(v, e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (x instanceof List<?> lx && y instanceof List<?> ly) {
      for (Object e : ly) {
        boolean found = false;
        for (Object c : lx) {
          if (e instanceof Map<?, ?> || e instanceof List<?> ? deepContains(c, e) : same(c, e)) {
            found = true;
            break;
          }
        }
        if (!found) {
          return false;
        }
      }
      return true;
    }
    return same(x, y);
  }

  /** Scalars equal as jsonb compares them (numbers by value). */
  private static boolean same(Object x, Object y) {
    if (x instanceof BigDecimal a && y instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return !(x instanceof Map<?, ?>) && !(x instanceof List<?>) && x.equals(y);
  }

  /** {@code ?}: a top-level key, array string element, or the string itself. */
  public static boolean exists(Object json, Object key) {
    return has(read(json), key.toString());
  }

  /** {@code ?|}: any of the keys. */
  public static boolean existsAny(Object json, Object keys) {
    Object v = read(json);
    return keys(keys).stream().anyMatch(k -> k != null && has(v, k));
  }

  /** {@code ?&}: all of the keys (NULL elements are ignored). */
  public static boolean existsAll(Object json, Object keys) {
    Object v = read(json);
    return keys(keys).stream().allMatch(k -> k == null || has(v, k));
  }

  private static boolean has(Object v, String k) {
    return v instanceof Map<?, ?> m ? m.containsKey(k) : v instanceof List<?> l ? l.contains(k) : k.equals(v);
  }

  /** {@code jsonb || jsonb}: objects merge (the right wins), anything else concatenates as arrays. */
  public static String concat(Object a, Object b) {
    Object x = read(a);
    Object y = read(b);
    if (x instanceof Map<?, ?> mx && y instanceof Map<?, ?> my) {
      Map<String, Object> m = new TreeMap<>(PgJson.KEY_ORDER);
      mx.forEach((k, v) -> m.put((String) k, v));
      my.forEach((k, v) -> m.put((String) k, v));
      return PgJson.print(m);
    }
    List<Object> l = new ArrayList<>();
    if (x instanceof List<?> lx) {
      l.addAll(lx);
    } else {
      l.add(x);
    }
    if (y instanceof List<?> ly) {
      l.addAll(ly);
    } else {
      l.add(y);
    }
    return PgJson.print(l);
  }

  /** {@code jsonb_typeof}. */
  public static String typeOf(Object json) {
    return PgJson.typeOf(read(json));
  }

  /** {@code jsonb_array_length}. */
  public static int arrayLength(Object json) {
    Object v = read(json);
    if (v instanceof List<?> l) {
      return l.size();
    }
    throw new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE,
        v instanceof Map<?, ?> ? "cannot get array length of a non-array" : "cannot get array length of a scalar"));
  }

  /** {@code jsonb_pretty}: four blanks per level, as PostgreSQL indents (an empty object is two lines). */
  public static String pretty(Object json) {
    StringBuilder b = new StringBuilder();
    pretty(b, read(json), 0);
    return b.toString();
  }

  private static void pretty(StringBuilder b, Object v, int depth) {
    if (v instanceof Map<?, ?> m) {
      b.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        indent(b, depth + 1);
        PgJson.quote(b, (String) e.getKey());
        b.append(": ");
        pretty(b, e.getValue(), depth + 1);
        b.append(++i < m.size() ? ",\n" : "\n");
      }
      indent(b, depth);
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        indent(b, depth + 1);
        pretty(b, l.get(i), depth + 1);
        b.append(i + 1 < l.size() ? ",\n" : "\n");
      }
      indent(b, depth);
      b.append(']');
    } else {
      b.append(PgJson.print(v));
    }
  }

  private static void indent(StringBuilder b, int depth) {
    b.append("    ".repeat(depth));
  }
}
