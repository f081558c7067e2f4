package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * The write side of a connection, used from its session worker: backend messages are encoded into
 * one buffer that goes to the channel at {@link #flush()} (ReadyForQuery, Flush) or when it fills
 * up; while the client has not read enough, the session waits (back-pressure, {@link #flushIfFull}).
 */
final class PgOutbound {
  static final int FLUSH_BYTES = 64 * 1024;
  /** A buffer the socket took at once is kept for the next answer up to this size. */
  static final int KEEP_BYTES = 8 * 1024;

  private final Channel channel;
  private final PgDirectSocket socket;
  private final Object writability = new Object();
  private ByteBuf buffer;

  PgOutbound(Channel channel, PgDirectSocket socket) {
    this.channel = channel;
    this.socket = socket;
  }

  /** The connection is authenticated: its output may bypass the event loop from now on. */
  void loggedIn() {
    socket.enableDirect();
  }

  /** The buffer to encode the next message into. */
  ByteBuf buffer() {
    if (buffer == null) {
      buffer = channel.alloc().buffer(256);
    }
    return buffer;
  }

  /** Sends what is buffered. */
  void flush() {
    if (buffer != null && buffer.isReadable()) {
      if (!socket.send(buffer)) {
        buffer = null; // the channel has it
      } else if (buffer.capacity() <= KEEP_BYTES) {
        buffer.clear(); // written at once: reused for the next answer
      } else {
        release();
      }
    }
  }

  /**
   * Sends a full buffer; then, while the channel is not writable (more than its high water mark,
   * 64 KiB, queued in Netty because the client does not read), waits for an event (the channel
   * turning writable or closing), never a fixed sleep. Called after every message and every row.
   *
   * <p>So a client that sends and never reads stops being read: the session thread waits here
   * instead of handling its next message, as a PostgreSQL backend blocks in send(2). Without the
   * wait, every answer that the socket does not take at once would be queued in Netty, without
   * limit, as long as the client kept sending (PgServerLimitsIT.aClientThatNeverReadsIsNoLongerRead).
   */
  void flushIfFull() {
    if (buffer != null && buffer.readableBytes() >= FLUSH_BYTES) {
      flush();
    }
    if (channel.isWritable()) {
      return;
    }
    synchronized (writability) {
      while (channel.isActive() && !channel.isWritable()) {
        try {
          writability.wait(1000); // woken by writabilityChanged(); the timeout only re-checks
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The channel's writability changed or it closed (event loop): wake a waiting worker. */
  void writabilityChanged() {
    synchronized (writability) {
      writability.notifyAll();
    }
  }

  /**
   * The user event by which the connection asks its channel to end, once everything said before
   * has reached the socket (see {@code PgConnectionHandler}: it half-closes, then lingers).
   */
  enum ConversationEnded { INSTANCE }

  /**
   * Sends what is buffered, then ends the channel: once all of it has reached the socket (the
   * empty write completes after every write before it), {@link ConversationEnded} goes up the
   * pipeline, on the event loop.
   */
  void flushAndClose() {
    flush();
    channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(f -> channel.pipeline().fireUserEventTriggered(ConversationEnded.INSTANCE));
  }

  /** Drops anything unsent (the connection is gone). */
  void release() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }
}
