package org.troupedb.sql.internal.catalog;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A comment (COMMENT ON) on a table or view ({@code subId} 0) or one of its columns ({@code subId}
 * = the column's attnum): descriptor kind {@code 'M'}, with its own descriptor id so that setting
 * or removing it writes one key.
 */
public record CommentDesc(long id, long relationId, int subId, String text) {

  public byte[] serialize() {
    return Catalog.write(out -> {
      out.writeByte('M');
      out.writeLong(id);
      out.writeLong(relationId);
      out.writeInt(subId);
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    });
  }

  static CommentDesc deserialize(DataInputStream in) throws IOException {
    long id = in.readLong();
    long rel = in.readLong();
    int sub = in.readInt();
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new CommentDesc(id, rel, sub, new String(b, StandardCharsets.UTF_8));
  }
}
