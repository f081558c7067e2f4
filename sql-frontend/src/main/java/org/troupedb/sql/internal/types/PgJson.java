package org.troupedb.sql.internal.types;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.troupedb.sql.SqlException;

/**
 * PostgreSQL's {@code json} and {@code jsonb} values. Jackson reads the text; this class builds
 * jsonb's value and prints it as {@code jsonb_out} does: object keys sorted by length, then by
 * their UTF-8 bytes, a duplicate key's last value kept, {@code ", "} between elements and
 * {@code ": "} after keys, numbers as PostgreSQL's numeric prints them ({@code 1e2} is
 * {@code 100}, {@code 2.50} stays). A {@code json} value is its text as written, once it has been
 * checked. Bad text is 22P02 with {@code json_in}'s DETAIL and CONTEXT ({@link PgJsonErrors}).
 *
 * <p>Values: {@code Map<String, Object>} (sorted, see {@link #KEY_ORDER}), {@code List<Object>},
 * {@code String}, {@code BigDecimal}, {@code Boolean} and {@link #NULL}.
 */
public final class PgJson {
  private PgJson() {}

  /** JSON's {@code null} (SQL NULL is Java null). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** jsonb's key order: shorter keys first, then unsigned bytes of UTF-8. */
  public static final Comparator<String> KEY_ORDER = (a, b) -> {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return x.length != y.length ? Integer.compare(x.length, y.length) : java.util.Arrays.compareUnsigned(x, y);
  };

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(6400)
          .maxStringLength(256 << 20).maxNumberLength(100_000).build())
      .build();

  /** Reads {@code text} as {@code jsonb_in} does; 22P02 if it is not JSON. */
  public static Object parse(String text) throws SqlException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw PgJsonErrors.of(text);
      }
      Object v = value(p, t, text);
      if (p.nextToken() != null) {
        throw PgJsonErrors.of(text);
      }
      return v;
    } catch (JsonProcessingException e) {
      throw PgJsonErrors.of(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code jsonb_in} then {@code jsonb_out}: the normalised text. */
  public static String normalise(String text) throws SqlException {
    return print(parse(text));
  }

  /** {@code json_in}: the text as written, once checked. */
  public static String checkJson(String text) throws SqlException {
    parse(text);
    return text;
  }

  private static Object value(JsonParser p, JsonToken t, String text) throws IOException, SqlException {
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new TreeMap<>(KEY_ORDER);
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String key = p.currentName();
          m.put(key, value(p, p.nextToken(), text));
        }
        yield m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(value(p, e, text));
        }
        yield l;
      }
      case VALUE_STRING -> {
        String s = p.getText();
        if (s.indexOf('\0') >= 0) {
          throw new SqlException("22P05", "unsupported Unicode escape sequence",
              "\\u0000 cannot be converted to text.", null, null).withContext(PgJsonErrors.context(text, text.length()));
        }
        yield s;
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(p.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> NULL;
      default -> throw PgJsonErrors.of(text);
    };
  }

  /** A JSON number as PostgreSQL's numeric keeps it (no negative scale, no exponent). */
  public static BigDecimal number(String s) {
    BigDecimal d = new BigDecimal(s);
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  /** {@code jsonb_out}. */
  public static String print(Object v) {
    StringBuilder b = new StringBuilder();
    print(b, v);
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static void print(StringBuilder b, Object v) {
    if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        b.append(first ? "" : ", ");
        first = false;
        quote(b, e.getKey());
        b.append(": ");
        print(b, e.getValue());
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      for (int i = 0; i < l.size(); i++) {
        b.append(i == 0 ? "" : ", ");
        print(b, l.get(i));
      }
      b.append(']');
    } else if (v instanceof String s) {
      quote(b, s);
    } else if (v instanceof BigDecimal d) {
      b.append(d.toPlainString());
    } else {
      b.append(v);
    }
  }

  /** {@code escape_json}: a JSON string literal as PostgreSQL writes it. */
  public static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** {@code jsonb_typeof}: object, array, string, number, boolean or null. */
  public static String typeOf(Object v) {
    return v instanceof Map ? "object" : v instanceof List ? "array" : v instanceof String ? "string"
        : v instanceof BigDecimal ? "number" : v instanceof Boolean ? "boolean" : "null";
  }
}
