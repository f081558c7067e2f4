package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import org.troupedb.sql.ColumnInfo;
import org.troupedb.sql.PgType;

/**
 * One static encoder per backend message, each appending the whole message to {@code out}. Every
 * regular message is {@code byte type | int32 length (counting itself) | body}; strings are UTF-8
 * and NUL-terminated.
 */
final class PgBackendMessages {
  private PgBackendMessages() {}

  /** Format code 0: text. */
  static final short TEXT = 0;
  /** Format code 1: binary. */
  static final short BINARY = 1;

  /** Answer to SSLRequest/GSSENCRequest: the single byte 'N' (no type, no length). */
  static void encryptionRefused(ByteBuf out) {
    out.writeByte('N');
  }

  /** AuthenticationOk: 'R' | int32 8 | int32 0. */
  static void authenticationOk(ByteBuf out) {
    out.writeByte('R').writeInt(8).writeInt(0);
  }

  /**
   * NegotiateProtocolVersion: 'v' | int32 len | int32 newest minor version supported | int32 n |
   * n × option name.
   */
  static void negotiateProtocolVersion(ByteBuf out, int newestMinor, List<String> unrecognized) {
    int start = begin(out, 'v');
    out.writeInt(newestMinor).writeInt(unrecognized.size());
    for (String o : unrecognized) {
      cstring(out, o);
    }
    end(out, start);
  }

  /** ParameterStatus: 'S' | int32 len | name | value. */
  static void parameterStatus(ByteBuf out, String name, String value) {
    int start = begin(out, 'S');
    cstring(out, name);
    cstring(out, value);
    end(out, start);
  }

  /** BackendKeyData: 'K' | int32 12 | int32 process id | int32 secret key. */
  static void backendKeyData(ByteBuf out, int processId, int secretKey) {
    out.writeByte('K').writeInt(12).writeInt(processId).writeInt(secretKey);
  }

  /** ReadyForQuery: 'Z' | int32 5 | byte status ('I' idle, 'T' in transaction, 'E' failed). */
  static void readyForQuery(ByteBuf out, char status) {
    out.writeByte('Z').writeInt(5).writeByte(status);
  }

  /**
   * RowDescription: 'T' | int32 len | int16 n | n × (name | int32 table oid | int16 column number |
   * int32 type oid | int16 typlen | int32 typmod | int16 format code).
   */
  static void rowDescription(ByteBuf out, List<ColumnInfo> columns, short[] formats) {
    int start = begin(out, 'T');
    out.writeShort(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      ColumnInfo c = columns.get(i);
      cstring(out, c.name());
      out.writeInt(c.tableOid())
          .writeShort(c.columnNumber())
          .writeInt(c.type().oid())
          .writeShort(c.type().length())
          .writeInt(c.typeModifier())
          .writeShort(formats == null ? TEXT : formats[i]);
    }
    end(out, start);
  }

  /**
   * DataRow: 'D' | int32 len | int16 n | n × (int32 value length, -1 for NULL | value bytes), each
   * value in the text or binary format its column asks for.
   */
  static void dataRow(ByteBuf out, Object[] row, List<ColumnInfo> columns, short[] formats, ZoneId zone) {
    int mark = out.writerIndex();
    try {
      writeDataRow(out, row, columns, formats, zone);
    } catch (RuntimeException e) {
      out.writerIndex(mark); // never leave half a message behind (a value of the wrong class)
      throw e;
    }
  }

  private static void writeDataRow(ByteBuf out, Object[] row, List<ColumnInfo> columns, short[] formats, ZoneId zone) {
    int start = begin(out, 'D');
    out.writeShort(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      Object v = i < row.length ? row[i] : null;
      if (v == null) {
        out.writeInt(-1);
        continue;
      }
      PgType type = columns.get(i).type();
      int lenAt = out.writerIndex();
      out.writeInt(0);
      if (formats != null && formats[i] == BINARY) {
        PgBinaryFormat.encode(type, v, out);
      } else {
        writeText(out, PgTextFormat.encode(type, v, zone));
      }
      out.setInt(lenAt, out.writerIndex() - lenAt - 4);
    }
    end(out, start);
  }

  /** CommandComplete: 'C' | int32 len | tag ("SELECT 3", "INSERT 0 1", …). */
  static void commandComplete(ByteBuf out, String tag) {
    int start = begin(out, 'C');
    cstring(out, tag);
    end(out, start);
  }

  /** EmptyQueryResponse: 'I' | int32 4. */
  static void emptyQueryResponse(ByteBuf out) {
    out.writeByte('I').writeInt(4);
  }

  /**
   * ErrorResponse: 'E' | int32 len | (byte field code | string)* | byte 0. Fields: S severity
   * (localized), V severity, C SQLSTATE, M message, D detail, H hint, P position (decimal
   * 1-based character index into the query string; only when {@code position > 0}), W context
   * (only when not null).
   */
  static void errorResponse(ByteBuf out, String severity, String sqlState, String message, String detail, String hint) {
    errorResponse(out, severity, sqlState, message, detail, hint, 0, null);
  }

  /** ErrorResponse with a position (see above). */
  static void errorResponse(ByteBuf out, String severity, String sqlState, String message, String detail,
      String hint, int position) {
    errorResponse(out, severity, sqlState, message, detail, hint, position, null);
  }

  /** ErrorResponse with a position and a context (see above). */
  static void errorResponse(ByteBuf out, String severity, String sqlState, String message, String detail,
      String hint, int position, String context) {
    int start = begin(out, 'E');
    field(out, 'S', severity);
    field(out, 'V', severity);
    field(out, 'C', sqlState);
    field(out, 'M', message == null ? "" : message);
    if (detail != null) {
      field(out, 'D', detail);
    }
    if (hint != null) {
      field(out, 'H', hint);
    }
    if (position > 0) {
      field(out, 'P', Integer.toString(position));
    }
    if (context != null) {
      field(out, 'W', context);
    }
    out.writeByte(0);
    end(out, start);
  }

  /**
   * CopyInResponse: 'G' | int32 len | int8 overall format (0 text) | int16 n | n × int16 column
   * format (0 text).
   */
  static void copyInResponse(ByteBuf out, int columns) {
    copyResponse(out, 'G', columns);
  }

  /** CopyOutResponse: 'H', laid out as CopyInResponse. */
  static void copyOutResponse(ByteBuf out, int columns) {
    copyResponse(out, 'H', columns);
  }

  private static void copyResponse(ByteBuf out, char type, int columns) {
    int start = begin(out, type);
    out.writeByte(TEXT);
    out.writeShort(columns);
    for (int i = 0; i < columns; i++) {
      out.writeShort(TEXT);
    }
    end(out, start);
  }

  /** CopyData: 'd' | int32 len | data bytes (here: one row of COPY TO output). */
  static void copyData(ByteBuf out, byte[] data) {
    out.writeByte('d').writeInt(4 + data.length).writeBytes(data);
  }

  /** CopyDone: 'c' | int32 4. */
  static void copyDone(ByteBuf out) {
    out.writeByte('c').writeInt(4);
  }

  /** ParseComplete: '1' | int32 4. */
  static void parseComplete(ByteBuf out) {
    out.writeByte('1').writeInt(4);
  }

  /** BindComplete: '2' | int32 4. */
  static void bindComplete(ByteBuf out) {
    out.writeByte('2').writeInt(4);
  }

  /** CloseComplete: '3' | int32 4. */
  static void closeComplete(ByteBuf out) {
    out.writeByte('3').writeInt(4);
  }

  /** NoData: 'n' | int32 4. */
  static void noData(ByteBuf out) {
    out.writeByte('n').writeInt(4);
  }

  /** PortalSuspended: 's' | int32 4. */
  static void portalSuspended(ByteBuf out) {
    out.writeByte('s').writeInt(4);
  }

  /** ParameterDescription: 't' | int32 len | int16 n | n × int32 type oid. */
  static void parameterDescription(ByteBuf out, List<PgType> types) {
    int start = begin(out, 't');
    out.writeShort(types.size());
    for (PgType t : types) {
      out.writeInt(t == null ? 0 : t.oid());
    }
    end(out, start);
  }

  private static void field(ByteBuf out, char code, String value) {
    out.writeByte(code);
    cstring(out, value);
  }

  private static int begin(ByteBuf out, char type) {
    out.writeByte(type);
    int lenAt = out.writerIndex();
    out.writeInt(0);
    return lenAt;
  }

  private static void end(ByteBuf out, int lenAt) {
    out.setInt(lenAt, out.writerIndex() - lenAt);
  }

  private static void cstring(ByteBuf out, String s) {
    // NUL inside a string would end it early on the client: PostgreSQL never sends one either.
    writeText(out, s.indexOf('\0') >= 0 ? s.replace('\0', ' ') : s);
    out.writeByte(0);
  }

  /**
   * UTF-8 of {@code s}. The JDK's encoder copies an ASCII string with a vectorised check, where
   * Netty's {@code writeUtf8} goes char by char (a few % of a point query's CPU).
   */
  private static void writeText(ByteBuf out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
