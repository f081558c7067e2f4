package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.troupedb.sql.PgArrayLiteral;
import org.troupedb.sql.PgType;
import org.troupedb.sql.SqlException;
import org.troupedb.sql.SqlState;

/**
 * Text and binary wire forms of one-dimensional arrays ({@link PgType#isArray()}); a value is a
 * {@link List} of its elements' Java classes (null for NULL), or, from older paths, its text form.
 *
 * <pre>
 *   text    {1,NULL,"a b"}  (array_out's quoting, elements in their type's text form)
 *   binary  int32 ndim (1, or 0 when empty) | int32 has-nulls (0/1) | int32 element type OID
 *           [ int32 length | int32 lower bound (1) ]      when ndim = 1
 *           per element: int32 -1 (NULL) or int32 n and the element's n bytes of binary form
 * </pre>
 */
final class PgArrayFormat {
  private PgArrayFormat() {}

  /** The text form of an array value. */
  static String encodeText(PgType type, Object value, ZoneId zone) {
    if (!(value instanceof List<?> list)) {
      return value.toString();
    }
    List<String> texts = new ArrayList<>(list.size());
    for (Object e : list) {
      texts.add(e == null ? null : PgTextFormat.encode(type.elem(), e, zone));
    }
    return PgArrayLiteral.formatTexts(texts);
  }

  /** Appends the binary form of an array value. */
  static void encodeBinary(PgType type, Object value, ByteBuf out) {
    List<?> list = value instanceof List<?> l ? l : elementsOfText(type, value.toString());
    out.writeInt(list.isEmpty() ? 0 : 1);
    out.writeInt(list.stream().anyMatch(java.util.Objects::isNull) ? 1 : 0); // NB: List.of's contains(null) throws
    out.writeInt(type.elem().oid());
    if (!list.isEmpty()) {
      out.writeInt(list.size());
      out.writeInt(1);
    }
    for (Object e : list) {
      if (e == null) {
        out.writeInt(-1);
        continue;
      }
      int at = out.writerIndex();
      out.writeInt(0);
      PgBinaryFormat.encode(type.elem(), e, out);
      out.setInt(at, out.writerIndex() - at - 4);
    }
  }

  private static List<Object> elementsOfText(PgType type, String text) {
    try {
      return decodeText(type, text, java.time.ZoneOffset.UTC);
    } catch (SqlException e) {
      throw new IllegalStateException("not an array's text: " + text, e);
    }
  }

  /** Reads a text parameter of an array type into a list of the element's Java class. */
  static List<Object> decodeText(PgType type, String s, ZoneId zone) throws SqlException {
    List<String> texts = PgArrayLiteral.parse(s);
    List<Object> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(t == null ? null : PgTextFormat.decode(type.elem(), t, zone));
    }
    return out;
  }

  /** Reads a binary parameter of an array type (exactly its bytes). */
  static List<Object> decodeBinary(PgType type, ByteBuf in) throws SqlException {
    int ndim = in.readInt();
    in.readInt(); // has-nulls: the elements say it
    int elemOid = in.readInt();
    if (ndim > 1) {
      throw SqlException.unsupported("multidimensional arrays");
    }
    if (ndim < 0) {
      throw new SqlException(SqlState.INVALID_BINARY_REPRESENTATION, "invalid number of dimensions: " + ndim);
    }
    if (elemOid != type.elem().oid()) {
      PgType got = PgType.ofOid(elemOid);
      throw new SqlException(SqlState.DATATYPE_MISMATCH, "binary data has array element type " + elemOid
          + " (" + (got == null ? "unknown" : got.typname()) + ") instead of expected "
          + type.elem().oid() + " (" + type.elem().typname() + ")");
    }
    List<Object> out = new ArrayList<>();
    if (ndim == 0) {
      return out;
    }
    int n = in.readInt();
    in.readInt(); // lower bound
    if (n < 0 || n > in.readableBytes() / 4) {
      throw PgBinaryFormat.badBinary(type);
    }
    for (int i = 0; i < n; i++) {
      int len = in.readInt();
      if (len == -1) {
        out.add(null);
      } else if (len < 0 || len > in.readableBytes()) {
        throw PgBinaryFormat.badBinary(type);
      } else {
        out.add(PgBinaryFormat.decode(type.elem(), in.readSlice(len)));
      }
    }
    return out;
  }
}
