package org.troupedb.sql.internal.functions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.PgJson;

/**
 * {@code ->}, {@code ->>}, {@code #>} and {@code #>>} on a {@code json} value, which PostgreSQL
 * answers with the part as written ({@code '{"a": [1,  2]}'::json -> 'a'} is {@code [1,  2]}; of
 * duplicate keys the last): Jackson reads the text and the answer is the span of characters its
 * token locations delimit. NB: public for generated code.
 */
public final class JsonRaw {
  private JsonRaw() {}

  private static final JsonFactory FACTORY = new JsonFactory();

  /** {@code json -> key}. */
  public static String get(Object json, Object key) {
    return find(json.toString(), key);
  }

  /** {@code json ->> key}. */
  public static String getText(Object json, Object key) {
    return text(find(json.toString(), key));
  }

  /** {@code json #> path}. */
  public static String path(Object json, Object path) {
    String v = json.toString();
    for (String k : JsonOps.keys(path)) {
      if (v == null || k == null) {
        return null;
      }
      v = find(v, v.stripLeading().startsWith("[") ? index(k) : k);
    }
    return v;
  }

  /** {@code json #>> path}. */
  public static String pathText(Object json, Object path) {
    return text(path(json, path));
  }

  private static Object index(String k) {
    try {
      return Integer.parseInt(k.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A raw value as {@code ->>} gives it: a string unescaped, JSON null as SQL NULL, the rest as written. */
  private static String text(String raw) {
    if (raw == null) {
      return null;
    }
    Object v;
    try {
      v = PgJson.parse(raw);
    } catch (SqlException e) {
      throw new SqlRuntimeException(e);
    }
    return v == PgJson.NULL ? null : v instanceof String s ? s : raw;
  }

  /** The text of the field {@code key} (String) or element (Number, negative from the end) of {@code text}. */
  static String find(String text, Object key) {
    if (key == null) {
      return null;
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT && key instanceof String name) {
        String found = null;
        for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
          boolean match = name.equals(p.currentName());
          p.nextToken();
          String v = span(p, text);
          found = match ? v : found;
        }
        return found;
      }
      if (t == JsonToken.START_ARRAY && key instanceof Number n) {
        List<String> elements = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY && e != null; e = p.nextToken()) {
          elements.add(span(p, text));
        }
        int i = n.intValue() < 0 ? elements.size() + n.intValue() : n.intValue();
        return i >= 0 && i < elements.size() ? elements.get(i) : null;
      }
      return null;
    } catch (IOException e) {
      throw new SqlRuntimeException(PgJsonErrorsAccess.of(text));
    }
  }

  /** The characters of the value at the parser's current token, leaving the parser after it. */
  private static String span(JsonParser p, String text) throws IOException {
    int start = (int) p.currentTokenLocation().getCharOffset();
    if (p.currentToken().isStructStart()) {
      p.skipChildren();
    } else {
      p.getText(); // a string is read lazily; this moves the input past its closing quote
    }
    int end = (int) p.currentLocation().getCharOffset();
    return text.substring(start, end);
  }

  /** json_in's error for text that is not JSON (a json column holds checked text, so only in theory). */
  private static final class PgJsonErrorsAccess {
    static SqlException of(String text) {
      try {
        PgJson.parse(text);
        return new SqlException("XX000", "json value could not be read");
      } catch (SqlException e) {
        return e;
      }
    }
  }
}
