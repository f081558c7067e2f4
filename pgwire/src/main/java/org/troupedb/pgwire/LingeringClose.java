package org.troupedb.pgwire;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * How a connection ends when the server ends it (a FATAL error such as 08P01 for a malformed
 * length, or Terminate): so that the client always receives the last answer, the FATAL included.
 *
 * <p>Why. Closing a socket while input the client sent is still unread makes the kernel reset the
 * connection (RST) and throw away whatever it has not yet delivered: after a long pipeline the
 * answers still queued and the FATAL behind them. The client then reads what had arrived and sees
 * the connection end without the error; and if its own write met the reset first, its next read
 * reports a plain end of input, so not even the reset shows (issue 17's fuzz finding). So, as web
 * servers do ("lingering close"): half-close first (FIN after everything written), then keep
 * reading and dropping the client's input until it closes its end, or for at most {@link
 * #LINGER_MILLIS}; then close. A client that has read its FATAL closes, and so does the server.
 *
 * <p>The connection's session, slot and cancel key are freed before this begins; the socket alone
 * lingers (and still counts against {@link PgLimits#maxSockets()} meanwhile).
 */
final class LingeringClose {
  /** The longest a socket lingers after the server ended its conversation. */
  static final long LINGER_MILLIS = 5_000;

  private LingeringClose() {}

  /**
   * Half-closes the channel and schedules its close; the caller then makes sure its input is read
   * and dropped. On the event loop, after the last write has reached the socket.
   *
   * @return false if the channel was closed at once instead (no half-close on this transport, or
   *     it is closed or the client's end is already closed: nothing can be left unread)
   */
  static boolean start(ChannelHandlerContext ctx) {
    if (!(ctx.channel() instanceof DuplexChannel duplex) || !duplex.isActive() || duplex.isInputShutdown()) {
      ctx.close();
      return false;
    }
    duplex.shutdownOutput().addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        ctx.close();
      }
    });
    ctx.executor().schedule(() -> {
      ctx.close();
    }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    return true;
  }
}
