package org.troupedb.sql.internal.types;

import java.util.List;

/**
 * PostgreSQL's text form of a one-dimensional array ({@code {a,"b c",NULL}}), for array values
 * (e.g. psql's {@code \du} "Member of") that reach a client as text.
 */
public final class PgArrayText {
  private PgArrayText() {}

  public static String format(List<?> elements) {
    if (elements instanceof Int2Vector vector) {
      return vector.toString();
    }
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      Object e = elements.get(i);
      if (e == null) {
        b.append("NULL");
        continue;
      }
      String s = e instanceof List<?> inner ? format(inner) : e.toString();
      boolean quote = s.isEmpty() || s.equalsIgnoreCase("NULL") || !(e instanceof List<?>)
          && s.chars().anyMatch(c -> c == ',' || c == '{' || c == '}' || c == '"' || c == '\\'
              || Character.isWhitespace(c));
      b.append(quote ? '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"' : s);
    }
    return b.append('}').toString();
  }
}
