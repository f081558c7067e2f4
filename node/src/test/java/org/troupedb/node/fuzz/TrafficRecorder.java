package org.troupedb.node.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on a loopback port that forwards to the node and keeps what each client sent: real
 * pgjdbc, psql and pgbench traffic to seed the fuzzer with. One thread per direction; the recording
 * of a connection is complete once the client has closed it.
 */
final class TrafficRecorder implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  /** Guarded by itself: each connection's client bytes, in accept order. */
  private final List<ByteArrayOutputStream> recordings = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  TrafficRecorder(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "fuzz-recorder-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getAddress(), target.getPort());
        ByteArrayOutputStream recording = new ByteArrayOutputStream();
        synchronized (recordings) {
          recordings.add(recording);
        }
        pump(client, server, recording);
        pump(server, client, null);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to, ByteArrayOutputStream recording) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          if (recording != null) {
            synchronized (recording) {
              recording.write(buf, 0, n);
            }
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side closed: so does this direction
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "fuzz-recorder-pump");
    t.setDaemon(true);
    synchronized (threads) {
      threads.add(t);
    }
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** What each connection's client sent, once every connection has ended (bounded wait). */
  List<byte[]> clientStreams() throws InterruptedException {
    List<Thread> all;
    synchronized (threads) {
      all = List.copyOf(threads);
    }
    for (Thread t : all) {
      t.join(10_000);
    }
    List<byte[]> out = new ArrayList<>();
    synchronized (recordings) {
      for (ByteArrayOutputStream r : recordings) {
        synchronized (r) {
          out.add(r.toByteArray());
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
