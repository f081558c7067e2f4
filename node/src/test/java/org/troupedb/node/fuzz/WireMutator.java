package org.troupedb.node.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutates recorded frontend traffic, message-aware: bit flips and interesting values inside a
 * message, its length field and type byte changed, bytes inserted or cut (with the length then
 * fixed up four times in five, so that the mutation reaches the message parsers instead of the framing),
 * messages repeated, dropped, swapped or spliced in from another seed (a third of the inputs get
 * only these), and the stream cut short.
 * One to four mutations per input, all drawn from the given {@link Random}: a seed reproduces an
 * input exactly.
 */
final class WireMutator {
  /** Frontend message types, so that a changed type byte is mostly one the server knows. */
  private static final byte[] TYPES = "QPBEDSHCXdcfpF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int[] INTERESTING = {0, 1, 2, 3, 4, 5, 7, 8, -1, -2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
      10_000, 10_001, 65_535, 65_536, 0x7fffffff, 0x80000000, 80877102, 80877103, 80877104, 196608};

  private final List<List<byte[]>> seeds = new ArrayList<>();

  /** @param streams recorded client streams, each cut into messages with {@link FrontendFraming} */
  WireMutator(List<byte[]> streams) {
    for (byte[] s : streams) {
      List<byte[]> messages = new ArrayList<>(FrontendFraming.frame(s).messages());
      // Recorded sessions end with Terminate: without it the fuzzed session is probed afterwards
      // (a Terminate still comes from a changed type byte or a splice).
      if (messages.size() > 1 && messages.get(messages.size() - 1)[0] == 'X') {
        messages.remove(messages.size() - 1);
      }
      if (!messages.isEmpty()) {
        seeds.add(messages);
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("no seed holds a whole message");
    }
  }

  int seedCount() {
    return seeds.size();
  }

  /** A mutated copy of a random seed, as the bytes to send. */
  byte[] next(Random random) {
    List<byte[]> seed = seeds.get(random.nextInt(seeds.size()));
    List<byte[]> messages = new ArrayList<>();
    for (byte[] m : seed) {
      messages.add(m.clone());
    }
    int mutations = 1 + random.nextInt(4);
    byte[] cutStream = null;
    // A third of the inputs only reorder whole messages: valid messages in unexpected orders
    // reach deeper into the session than corrupted ones, which mostly end it with 08P01.
    boolean structural = random.nextInt(3) == 0;
    for (int i = 0; i < mutations; i++) {
      int op = structural ? 8 + random.nextInt(4) : random.nextInt(12);
      // Mostly past the startup packet, so that most inputs reach a logged-in session.
      int at = messages.size() > 1 && random.nextInt(8) != 0 ? 1 + random.nextInt(messages.size() - 1)
          : random.nextInt(messages.size());
      byte[] m = messages.get(at);
      // The first message is the startup packet: no type byte.
      int header = at == 0 || isStartup(m) ? 0 : 1;
      // Mostly inside the body: a changed type or length is an operation of its own.
      int body = random.nextInt(5) == 0 || m.length <= header + 4 ? 0 : header + 4;
      switch (op) {
        case 0, 1 -> flipBit(m, body, random);
        case 2 -> setInteresting(m, random, body + random.nextInt(Math.max(1, m.length - body - 3)));
        case 3 -> setInt(m, header, lengthValue(m, header, random));
        case 4 -> {
          if (header == 1) {
            m[0] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : TYPES[random.nextInt(TYPES.length)];
          } else {
            flipBit(m, 0, random);
          }
        }
        case 5, 6 -> messages.set(at, fixLength(insertBytes(m, body, random), header, random.nextInt(5) != 0));
        case 7 -> messages.set(at, fixLength(cutBytes(m, header + 4, random), header, random.nextInt(5) != 0));
        case 8 -> {
          int copies = random.nextInt(8) == 0 ? 200 + random.nextInt(2000) : 1 + random.nextInt(3);
          for (int c = 0; c < copies; c++) {
            messages.add(at, m.clone());
          }
        }
        case 9 -> {
          if (messages.size() > 1) {
            messages.remove(at == 0 && random.nextBoolean() ? 1 + random.nextInt(messages.size() - 1) : at);
          }
        }
        case 10 -> {
          List<byte[]> other = seeds.get(random.nextInt(seeds.size()));
          // A startup packet in the middle of a session is a protocol violation: now and then.
          int from = other.size() > 1 && random.nextInt(8) != 0 ? 1 + random.nextInt(other.size() - 1)
              : random.nextInt(other.size());
          byte[] spliced = other.get(from).clone();
          messages.add(Math.min(messages.size(), 1 + random.nextInt(messages.size())), spliced);
        }
        default -> {
          int j = random.nextInt(messages.size());
          messages.set(at, messages.get(j));
          messages.set(j, m);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] m : messages) {
      out.writeBytes(m);
    }
    byte[] stream = out.toByteArray();
    if (random.nextInt(10) == 0 && stream.length > 1) {
      cutStream = java.util.Arrays.copyOf(stream, 1 + random.nextInt(stream.length - 1));
    }
    return cutStream != null ? cutStream : stream;
  }

  private static boolean isStartup(byte[] m) {
    if (m.length < 8 || m[0] != 0) {
      return false;
    }
    int code = ByteBuffer.wrap(m).getInt(4);
    return code == 196608 || code == FrontendFraming.SSL_CODE || code == FrontendFraming.GSSENC_CODE
        || code == FrontendFraming.CANCEL_CODE;
  }

  private static void flipBit(byte[] m, int from, Random random) {
    int i = from + random.nextInt(m.length - from);
    m[i] ^= (byte) (1 << random.nextInt(8));
  }

  private static void setInteresting(byte[] m, Random random, int at) {
    int v = INTERESTING[random.nextInt(INTERESTING.length)];
    switch (random.nextInt(3)) {
      case 0 -> m[Math.min(at, m.length - 1)] = (byte) v;
      case 1 -> {
        if (at + 2 <= m.length) {
          m[at] = (byte) (v >>> 8);
          m[at + 1] = (byte) v;
        }
      }
      default -> setInt(m, at, v);
    }
  }

  private static int lengthValue(byte[] m, int header, Random random) {
    int actual = m.length - header;
    return switch (random.nextInt(3)) {
      case 0 -> INTERESTING[random.nextInt(INTERESTING.length)];
      case 1 -> actual + random.nextInt(9) - 4;
      default -> random.nextInt();
    };
  }

  private static void setInt(byte[] m, int at, int v) {
    if (at + 4 <= m.length) {
      ByteBuffer.wrap(m).putInt(at, v);
    }
  }

  private static byte[] insertBytes(byte[] m, int from, Random random) {
    int n = random.nextInt(16) == 0 ? 1 + random.nextInt(20_000) : 1 + random.nextInt(8);
    int at = from + random.nextInt(m.length - from + 1);
    byte[] out = new byte[m.length + n];
    System.arraycopy(m, 0, out, 0, at);
    for (int i = 0; i < n; i++) {
      out[at + i] = random.nextBoolean() ? 0 : (byte) random.nextInt(256);
    }
    System.arraycopy(m, at, out, at + n, m.length - at);
    return out;
  }

  private static byte[] cutBytes(byte[] m, int from, Random random) {
    if (m.length <= from) {
      return m;
    }
    int at = from + random.nextInt(m.length - from);
    int n = 1 + random.nextInt(m.length - at);
    byte[] out = new byte[m.length - n];
    System.arraycopy(m, 0, out, 0, at);
    System.arraycopy(m, at + n, out, at, m.length - at - n);
    return out;
  }

  /** Sets the length field to the message's real length (when {@code fix}), else leaves it stale. */
  private static byte[] fixLength(byte[] m, int header, boolean fix) {
    if (fix && m.length >= header + 4) {
      ByteBuffer.wrap(m).putInt(header, m.length - header);
    }
    return m;
  }
}
