package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.epoll.EpollSessionAccess.InputWaiter;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.pgwire.PgFrontendMessages.FrontendMessage;
import org.troupedb.pgwire.PgFrontendMessages.ProtocolViolation;
import org.troupedb.pgwire.PgFrontendMessages.Terminate;

/**
 * Reads a busy connection's input on its session thread, the way a PostgreSQL backend reads its
 * socket, instead of on a Netty event loop.
 *
 * <p>Why. Through the event loop a query wakes two threads: the loop, to read it, and then the
 * session thread it hands the query to. Each wake-up costs more kernel time than a point query
 * costs in Java. While a client sends one statement after another, the session thread therefore
 * reads the socket itself: it sleeps in {@code epoll_wait} on a set holding only its socket,
 * reads, runs the statement and writes the answer (see {@link PgDirectSocket}). Statements still
 * never run on an event loop.
 *
 * <p>How it takes turns with the event loop ({@link PgConnectionHandler}): after a read, when the
 * connection is authenticated and its socket is direct, the event loop stops watching the
 * socket's input and hands over the bytes it holds of a partial message; {@link #run} then reads
 * until the connection has been idle for the configured time between whole messages, and hands
 * the socket back. One reader at a time: the socket is never read by both. The loop hands over
 * only when it cannot read again by itself (its last read drained the socket, no read of its own
 * is queued), and every change to its reading (back-pressure included) is made on the loop, where
 * the hand-over is; a thread that turned reading back on from outside would make two readers.
 *
 * <p>Closing. Reads take {@link PgDirectSocket}'s lock, so none can reach a closed descriptor;
 * closing the channel wakes the sleeping reader, whose next read then reports the end.
 */
final class PgSessionReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PgSessionReader.class);
  static final int INITIAL_BUFFER = 8192;
  /** Hand-overs to session threads, and hand-backs after idling, across all connections (tests). */
  static final LongAdder HAND_OVERS = new LongAdder();
  static final LongAdder IDLE_RETURNS = new LongAdder();

  /** How a {@link #run} ended. */
  enum Outcome {
    /** No input for the idle time, between messages: the event loop should read again. */
    IDLE,
    /** The connection ended (end of input, a failed socket, Terminate, a protocol violation). */
    ENDED
  }

  private final PgDirectSocket socket;
  private final int maxMessageBytes;
  private final int idleMillis;
  private final Function<Object, FrontendMessage> parser;
  private final Consumer<FrontendMessage> handler;

  /**
   * @param parser turns a frame of {@link PgFrameDecoder#regularFrame} into a message (releasing
   *     the frame)
   * @param handler handles one message (the connection's, as on the event loop's path)
   */
  PgSessionReader(PgDirectSocket socket, int maxMessageBytes, int idleMillis,
      Function<Object, FrontendMessage> parser, Consumer<FrontendMessage> handler) {
    this.socket = socket;
    this.maxMessageBytes = maxMessageBytes;
    this.idleMillis = idleMillis;
    this.parser = parser;
    this.handler = handler;
  }

  /**
   * Handles the messages in {@code input} (taken over from the event loop; released here), then
   * reads and handles more until idle or the end. Runs on the connection's serial executor.
   */
  Outcome run(ByteBuf input) {
    try {
      InputWaiter waiter = socket.inputWaiter();
      if (waiter == null) {
        return Outcome.ENDED; // closed meanwhile
      }
      while (true) {
        if (!handleFrames(input)) {
          return Outcome.ENDED;
        }
        if (!waiter.await(idleMillis) && !input.isReadable()) {
          if (!socket.isOpen()) {
            return Outcome.ENDED;
          }
          IDLE_RETURNS.increment();
          return Outcome.IDLE;
        }
        input.discardSomeReadBytes();
        input.ensureWritable(INITIAL_BUFFER / 2);
        if (socket.read(input) < 0) {
          closeUnlessClosing();
          return Outcome.ENDED;
        }
      }
    } catch (IOException e) {
      LOG.debug("reading {} failed: {}", socket, e.toString());
      closeUnlessClosing();
      return Outcome.ENDED;
    } finally {
      input.release();
    }
  }

  /**
   * End of input or a failed socket: close the channel, unless it is already being closed by
   * someone else, whose close must not overtake what it writes first (the server's 57P01).
   */
  private void closeUnlessClosing() {
    if (socket.isOpen()) {
      socket.closeChannel();
    }
  }

  /** Handles every whole message in {@code input}; false once the connection has ended. */
  private boolean handleFrames(ByteBuf input) {
    Object frame;
    while ((frame = PgFrameDecoder.regularFrame(input, maxMessageBytes)) != null) {
      FrontendMessage message = parser.apply(frame);
      handler.accept(message);
      if (message instanceof ProtocolViolation || message instanceof Terminate) {
        return false;
      }
    }
    return true;
  }

  /** Frees the epoll set. On the serial executor, after the last run. */
  @Override
  public void close() {
    socket.releaseInputWaiter();
  }
}
