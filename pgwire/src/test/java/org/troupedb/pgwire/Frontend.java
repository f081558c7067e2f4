package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds frontend messages byte by byte, as a client would send them (test helper). */
final class Frontend {
  private Frontend() {}

  static ByteBuf startup(Map<String, String> params) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(0).writeInt(196608);
    params.forEach((k, v) -> {
      cstr(b, k);
      cstr(b, v);
    });
    b.writeByte(0);
    b.setInt(0, b.readableBytes());
    return b;
  }

  static ByteBuf code(int code) {
    return Unpooled.buffer().writeInt(8).writeInt(code);
  }

  static ByteBuf cancel(int pid, int secret) {
    return Unpooled.buffer().writeInt(16).writeInt(PgFrameDecoder.CANCEL_REQUEST_CODE).writeInt(pid).writeInt(secret);
  }

  static ByteBuf query(String sql) {
    return msg('Q', b -> cstr(b, sql));
  }

  static ByteBuf parse(String name, String sql, int... oids) {
    return msg('P', b -> {
      cstr(b, name);
      cstr(b, sql);
      b.writeShort(oids.length);
      for (int o : oids) {
        b.writeInt(o);
      }
    });
  }

  /** Bind with text parameters (null = NULL) and one result format code for all columns. */
  static ByteBuf bind(String portal, String statement, short resultFormat, String... values) {
    return msg('B', b -> {
      cstr(b, portal);
      cstr(b, statement);
      b.writeShort(0);
      b.writeShort(values.length);
      for (String v : values) {
        if (v == null) {
          b.writeInt(-1);
        } else {
          byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
          b.writeInt(bytes.length).writeBytes(bytes);
        }
      }
      b.writeShort(1).writeShort(resultFormat);
    });
  }

  static ByteBuf describe(char kind, String name) {
    return msg('D', b -> {
      b.writeByte(kind);
      cstr(b, name);
    });
  }

  static ByteBuf execute(String portal, int maxRows) {
    return msg('E', b -> {
      cstr(b, portal);
      b.writeInt(maxRows);
    });
  }

  static ByteBuf close(char kind, String name) {
    return msg('C', b -> {
      b.writeByte(kind);
      cstr(b, name);
    });
  }

  static ByteBuf sync() {
    return msg('S', b -> {});
  }

  static ByteBuf terminate() {
    return msg('X', b -> {});
  }

  static ByteBuf msg(char type, java.util.function.Consumer<ByteBuf> body) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(type).writeInt(0);
    body.accept(b);
    b.setInt(1, b.readableBytes() - 1);
    return b;
  }

  static void cstr(ByteBuf b, String s) {
    b.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
  }
}
