package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits backend output into messages and reads their fields (test helper). */
final class Backend {
  private Backend() {}

  /** One backend message: its type and body. */
  record Msg(char type, byte[] body) {
    ByteBuf buf() {
      return io.netty.buffer.Unpooled.wrappedBuffer(body);
    }

    /** ErrorResponse fields by code. */
    Map<Character, String> fields() {
      Map<Character, String> f = new LinkedHashMap<>();
      ByteBuf b = buf();
      while (b.isReadable()) {
        byte code = b.readByte();
        if (code == 0) {
          break;
        }
        f.put((char) code, cstr(b));
      }
      return f;
    }

    /** DataRow values as text (null for NULL). */
    List<String> row() {
      ByteBuf b = buf();
      int n = b.readShort();
      List<String> vals = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int len = b.readInt();
        if (len < 0) {
          vals.add(null);
        } else {
          byte[] v = new byte[len];
          b.readBytes(v);
          vals.add(new String(v, StandardCharsets.UTF_8));
        }
      }
      return vals;
    }

    /** CommandComplete tag or other single-string body. */
    String text() {
      return cstr(buf());
    }

    @Override
    public String toString() {
      return type == 'E' ? "E" + fields() : String.valueOf(type);
    }
  }

  /** Parses regular messages; a leading 'N' byte (SSL refusal) must be consumed by the caller. */
  static List<Msg> split(ByteBuf in) {
    List<Msg> out = new ArrayList<>();
    while (in.isReadable()) {
      char type = (char) in.readByte();
      int len = in.readInt();
      byte[] body = new byte[len - 4];
      in.readBytes(body);
      out.add(new Msg(type, body));
    }
    return out;
  }

  static String types(List<Msg> msgs) {
    StringBuilder sb = new StringBuilder();
    msgs.forEach(m -> sb.append(m.type()));
    return sb.toString();
  }

  static String cstr(ByteBuf b) {
    int nul = b.indexOf(b.readerIndex(), b.writerIndex(), (byte) 0);
    String s = b.toString(b.readerIndex(), nul - b.readerIndex(), StandardCharsets.UTF_8);
    b.readerIndex(nul + 1);
    return s;
  }
}
