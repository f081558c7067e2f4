package org.troupedb.node;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal PostgreSQL v3 client over a plain socket (trust authentication, simple Query) that
 * counts the rows of a result — DataRow or CopyData messages — without keeping them, so a test
 * can read results far larger than its own heap from TroupeDB and PostgreSQL alike.
 */
final class RawPgClient implements AutoCloseable {
  /** What a query sent back: rows (DataRow or CopyData messages), their bytes and the tag. */
  record Counted(long rows, long bytes, String tag) {}

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  RawPgClient(String host, int port, String user, String database) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 10_000);
    socket.setSoTimeout(600_000);
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    byte[] params = ("user\0" + user + "\0database\0" + database + "\0\0").getBytes(StandardCharsets.UTF_8);
    out.writeInt(8 + params.length);
    out.writeInt(196608);
    out.write(params);
    out.flush();
    untilReady(false);
  }

  /** Runs {@code sql} (one statement) and counts what comes back; an ErrorResponse is thrown. */
  Counted query(String sql) throws IOException {
    byte[] text = (sql + "\0").getBytes(StandardCharsets.UTF_8);
    out.writeByte('Q');
    out.writeInt(4 + text.length);
    out.write(text);
    out.flush();
    return untilReady(true);
  }

  private Counted untilReady(boolean counting) throws IOException {
    long rows = 0;
    long bytes = 0;
    String tag = null;
    String error = null;
    while (true) {
      int type = in.readUnsignedByte();
      int len = in.readInt() - 4;
      if ((type == 'D' || type == 'd') && counting) {
        rows++;
        bytes += len;
        in.skipNBytes(len);
        continue;
      }
      byte[] body = in.readNBytes(len);
      switch (type) {
        case 'R' -> {
          if (body.length < 4 || body[3] != 0) {
            throw new IOException("authentication other than trust requested");
          }
        }
        case 'C' -> tag = new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
        case 'E' -> error = errorText(body);
        case 'Z' -> {
          if (error != null) {
            throw new IOException("server error: " + error);
          }
          return new Counted(rows, bytes, tag);
        }
        default -> { } // ParameterStatus, BackendKeyData, RowDescription, CopyOutResponse, CopyDone, …
      }
    }
  }

  private static String errorText(byte[] body) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < body.length && body[i] != 0) {
      char field = (char) body[i++];
      int start = i;
      while (body[i] != 0) {
        i++;
      }
      if (field == 'C' || field == 'M') {
        b.append(field).append('=').append(new String(body, start, i - start, StandardCharsets.UTF_8)).append(' ');
      }
      i++;
    }
    return b.toString().trim();
  }

  @Override
  public void close() throws IOException {
    try {
      out.writeByte('X');
      out.writeInt(4);
      out.flush();
    } finally {
      socket.close();
    }
  }
}
