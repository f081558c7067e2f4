package org.troupedb.sql.internal.functions;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;
import org.troupedb.sql.internal.errors.SqlRuntimeException;
import org.troupedb.sql.internal.types.ColumnType;

/**
 * The string and bytea functions of {@link PgScalarFunctions}, as generated plan code calls
 * them, with PostgreSQL's semantics: {@code btrim}/{@code ltrim}/{@code rtrim}, {@code left} and
 * {@code right} with negative lengths, {@code substring(… FROM pattern)}, {@code to_hex},
 * {@code bit_length}, {@code octet_length} (UTF-8 bytes), {@code starts_with}, {@code encode} and
 * {@code decode}. NB: public only because generated plan code calls its methods.
 */
public final class PgTextFunctions {
  private PgTextFunctions() {}

  public static String btrim(String s) {
    return btrim(s, " ");
  }

  public static String btrim(String s, String chars) {
    return rtrim(ltrim(s, chars), chars);
  }

  public static String ltrim(String s) {
    return ltrim(s, " ");
  }

  /** PostgreSQL's {@code ltrim(text, characters)}: drops leading characters found in {@code chars}. */
  public static String ltrim(String s, String chars) {
    int i = 0;
    while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    return s.substring(i);
  }

  public static String rtrim(String s) {
    return rtrim(s, " ");
  }

  public static String rtrim(String s, String chars) {
    int i = s.length();
    while (i > 0 && chars.indexOf(s.charAt(i - 1)) >= 0) {
      i--;
    }
    return s.substring(0, i);
  }

  /** PostgreSQL's {@code left}: the first n characters; a negative n drops the last |n|. */
  public static String left(String s, int n) {
    int count = s.codePointCount(0, s.length());
    int keep = n >= 0 ? Math.min(n, count) : Math.max(count + n, 0);
    return s.substring(0, s.offsetByCodePoints(0, keep));
  }

  /** PostgreSQL's {@code right}: the last n characters; a negative n drops the first |n|. */
  public static String right(String s, int n) {
    int count = s.codePointCount(0, s.length());
    int keep = n >= 0 ? Math.min(n, count) : Math.max(count + n, 0);
    return s.substring(s.offsetByCodePoints(0, count - keep));
  }

  /** The first match of {@code pattern}, or of its first parenthesized group when it has one; null if none. */
  public static String regexSubstring(String s, String pattern) {
    java.util.regex.Matcher m;
    try {
      m = java.util.regex.Pattern.compile(pattern).matcher(s);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.INVALID_REGULAR_EXPRESSION,
          "invalid regular expression: " + e.getDescription()));
    }
    if (!m.find()) {
      return null;
    }
    return m.groupCount() > 0 ? m.group(1) : m.group();
  }

  public static String toHex(long v) {
    return Long.toHexString(v);
  }

  public static String toHexInt(int v) {
    return Integer.toHexString(v);
  }

  public static int bitLength(String s) {
    return octetLength(s) * 8;
  }

  public static int bitLengthBytes(org.apache.calcite.avatica.util.ByteString b) {
    return b.length() * 8;
  }

  public static boolean startsWith(String s, String prefix) {
    return s.startsWith(prefix);
  }

  /** PostgreSQL's {@code encode(bytea, 'hex' | 'base64' | 'escape')}. */
  public static String encode(org.apache.calcite.avatica.util.ByteString b, String format) {
    byte[] bytes = b.getBytes();
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "hex" -> java.util.HexFormat.of().formatHex(bytes);
      case "base64" -> java.util.Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(bytes);
      case "escape" -> {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
          int u = x & 0xff;
          if (u == '\\') {
            sb.append("\\\\");
          } else if (u == 0 || u >= 0x80) {
            sb.append('\\').append(String.format("%03o", u));
          } else {
            sb.append((char) u);
          }
        }
        yield sb.toString();
      }
      default -> throw unrecognizedEncoding(format);
    };
  }

  /** PostgreSQL's {@code decode(text, 'hex' | 'base64' | 'escape')}. */
  public static org.apache.calcite.avatica.util.ByteString decode(String text, String format) {
    try {
      byte[] bytes = switch (format.toLowerCase(Locale.ROOT)) {
        case "hex" -> bytea("\\x" + text);
        case "base64" -> java.util.Base64.getMimeDecoder().decode(text);
        case "escape" -> bytea(text.startsWith("\\x") ? "\\" + text : text);
        default -> throw unrecognizedEncoding(format);
      };
      return new org.apache.calcite.avatica.util.ByteString(bytes);
    } catch (IllegalArgumentException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE,
          "invalid " + format + " data: \"" + text + "\""));
    }
  }

  /** bytea input ({@link ColumnType#parseBytea}); its errors are 22023 here, as decode's are. */
  private static byte[] bytea(String text) {
    try {
      return ColumnType.parseBytea(text);
    } catch (SqlException e) {
      throw new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE, e.getMessage()));
    }
  }

  private static SqlRuntimeException unrecognizedEncoding(String format) {
    return new SqlRuntimeException(new SqlException(SqlState.INVALID_PARAMETER_VALUE,
        "unrecognized encoding: \"" + format + "\""));
  }

  public static int octetLength(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  public static int octetLengthBytes(org.apache.calcite.avatica.util.ByteString b) {
    return b.length();
  }
}
