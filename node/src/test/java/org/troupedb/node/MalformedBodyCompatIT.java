package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.troupedb.testkit.LocalPostgres;

/**
 * Malformed message bodies on raw sockets, against a real PostgreSQL 15 and a node: both must
 * answer the same message types, with the same SQLSTATE and severity in each ErrorResponse
 * (trailing bytes, a string without its NUL or not in UTF-8, a count beyond the body: ERROR and
 * the session goes on; an unknown message type: FATAL and the end; an SSLRequest with extra
 * bytes: 'N'). Issue 17.
 */
class MalformedBodyCompatIT {
  @TempDir Path tmp;

  @Test
  void malformedBodiesAreAnsweredAsPostgresAnswersThem() throws Exception {
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("Bind with 3 trailing bytes", concat(parse("SELECT 42"), withTrailing(bind(), 3), execute(), sync()));
    cases.put("Query without its NUL", message('Q', "SELECT 1".getBytes(StandardCharsets.US_ASCII)));
    cases.put("Query not in UTF-8", message('Q', new byte[] {(byte) 0xC3, 0x28, 0}));
    cases.put("Bind count beyond the body", concat(parse("SELECT 42"), message('B', new byte[] {0, 0, 0x75, 0x30}), sync()));
    cases.put("Execute without its NUL", concat(message('E', new byte[] {'x'}), parse("SELECT 1"), sync()));
    cases.put("Sync with trailing bytes", message('S', new byte[] {0, 0, 0, 7}));
    cases.put("Describe of kind x", concat(message('D', new byte[] {'x', 0}), sync()));
    cases.put("CopyDone with trailing bytes", concat(copyIn("copy_done"), message('c', new byte[] {1, 2})));
    cases.put("CopyFail with bytes after its reason", concat(copyIn("copy_fail"), message('f', new byte[] {'n', 'o', 0, 9})));
    cases.put("CopyDone outside COPY with a body", message('c', new byte[] {1}));
    cases.put("unknown message type", message('?', new byte[] {0, 0, 0, 1}));
    try (LocalPostgres postgres = LocalPostgres.start();
         TroupeNode node = TroupeNode.start(NodeConfig.singleNode(0, 0, tmp.resolve("store")))) {
      for (Map.Entry<String, byte[]> c : cases.entrySet()) {
        String expected = answer(postgres.port(), c.getValue());
        assertThat(answer(node.pgAddress().getPort(), c.getValue())).as(c.getKey()).isEqualTo(expected);
      }
      byte[] ssl = ByteBuffer.allocate(12).putInt(12).putInt(80877103).putInt(42).array();
      assertThat(sslAnswer(node.pgAddress().getPort(), ssl)).isEqualTo(sslAnswer(postgres.port(), ssl)).isEqualTo('N');
    }
  }

  /**
   * Logs in, sends {@code input} then {@code SELECT 'end'}, and describes what comes back: message
   * types, each error as {@code E(SEVERITY SQLSTATE)}, and whether the server closed.
   */
  private static String answer(int port, byte[] input) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000); // a first statement plans for seconds on a loaded machine
      DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(s.getInputStream()));
      s.getOutputStream().write(startup());
      while (read(in, new StringBuilder()) != 'Z') {
        // the login's answer
      }
      s.getOutputStream().write(concat(input, message('Q', "SELECT 'end'\0".getBytes(StandardCharsets.US_ASCII))));
      StringBuilder out = new StringBuilder();
      boolean end = false;
      while (true) {
        char type;
        try {
          type = read(in, out);
        } catch (EOFException | java.net.SocketException e) {
          return out + " closed";
        } catch (java.net.SocketTimeoutException e) {
          return out + " no answer in 30 s";
        }
        if (type == 'D') {
          end = true;
        } else if (type == 'Z' && end) {
          return out.toString();
        }
      }
    }
  }

  private static char read(DataInputStream in, StringBuilder out) throws IOException {
    char type = (char) in.readByte();
    byte[] body = new byte[in.readInt() - 4];
    in.readFully(body);
    out.append(type);
    if (type == 'E') {
      String fields = new String(body, StandardCharsets.UTF_8);
      out.append('(').append(field(fields, 'S')).append(' ').append(field(fields, 'C')).append(')');
    }
    return type;
  }

  private static String field(String fields, char name) {
    for (String f : fields.split("\0")) {
      if (!f.isEmpty() && f.charAt(0) == name) {
        return f.substring(1);
      }
    }
    return "?";
  }

  private static char sslAnswer(int port, byte[] request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000); // a first statement plans for seconds on a loaded machine
      s.getOutputStream().write(request);
      return (char) s.getInputStream().read();
    }
  }

  private static byte[] startup() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ByteBuffer.allocate(4).putInt(196608).array());
    for (String s : new String[] {"user", "root", "database", "defaultdb", ""}) {
      body.writeBytes((s + "\0").getBytes(StandardCharsets.US_ASCII));
    }
    return concat(ByteBuffer.allocate(4).putInt(body.size() + 4).array(), body.toByteArray());
  }

  private static byte[] parse(String sql) {
    return message('P', concat(new byte[] {0}, (sql + "\0").getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0}));
  }

  /** Bind of the unnamed portal and statement, no parameters, text results. */
  /** Creates {@code table} (new to each server: IF NOT EXISTS would add PostgreSQL's NOTICE) and starts a COPY into it. */
  private static byte[] copyIn(String table) {
    return concat(query("CREATE TABLE " + table + " (a int)"), query("COPY " + table + " FROM STDIN"),
        message('d', "1\n".getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] query(String sql) {
    return message('Q', (sql + "\0").getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bind() {
    return message('B', new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
  }

  private static byte[] execute() {
    return message('E', new byte[] {0, 0, 0, 0, 0});
  }

  private static byte[] sync() {
    return message('S', new byte[0]);
  }

  private static byte[] withTrailing(byte[] message, int extra) {
    byte[] body = new byte[message.length - 5 + extra];
    System.arraycopy(message, 5, body, 0, message.length - 5);
    body[body.length - 1] = 9;
    return message(message[0], body);
  }

  private static byte[] message(char type, byte[] body) {
    return message((byte) type, body);
  }

  private static byte[] message(byte type, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put(type).putInt(4 + body.length).put(body).array();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
