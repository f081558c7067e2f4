package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.troupedb.pgwire.PgFrontendMessages.CancelRequest;
import org.troupedb.pgwire.PgFrontendMessages.FrontendMessage;
import org.troupedb.pgwire.PgFrontendMessages.GssEncRequest;
import org.troupedb.pgwire.PgFrontendMessages.SslRequest;
import org.troupedb.sql.SqlState;

/**
 * Stands in for {@link PgConnectionHandler} on a socket accepted beyond {@link
 * PgLimits#maxSockets()}, on the event loop, without a session thread, as PostgreSQL's postmaster
 * answers when it has too many children:
 *
 * <pre>
 *   SSLRequest / GSSENCRequest ──▶ 'N' (no encryption), wait for the startup packet
 *   CancelRequest             ──▶ honoured (it frees a session sooner), close
 *   StartupMessage / anything ──▶ FATAL 53300 "sorry, too many clients already", close
 *   nothing within the startup timeout ──▶ close
 * </pre>
 */
final class TooManyClientsHandler extends ChannelInboundHandlerAdapter {
  private final CancelRegistry cancelRegistry;
  private final Duration startupTimeout;
  private boolean done;

  TooManyClientsHandler(CancelRegistry cancelRegistry, Duration startupTimeout) {
    this.cancelRegistry = cancelRegistry;
    this.startupTimeout = startupTimeout;
  }

  /** A silent socket is closed after the startup timeout, as an admitted one would be. */
  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.executor().schedule(() -> {
      ctx.close();
    }, startupTimeout.toNanos(), TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    FrontendMessage m = PgConnectionHandler.toMessage(msg); // releases the frame
    if (done) {
      return;
    }
    if (m instanceof SslRequest || m instanceof GssEncRequest) {
      ByteBuf n = ctx.alloc().buffer(1);
      PgBackendMessages.encryptionRefused(n);
      ctx.writeAndFlush(n);
      return;
    }
    done = true;
    if (m instanceof CancelRequest c) {
      cancelRegistry.cancel(c.processId(), c.secretKey());
      ctx.close();
      return;
    }
    ByteBuf err = ctx.alloc().buffer();
    PgBackendMessages.errorResponse(err, "FATAL", SqlState.TOO_MANY_CONNECTIONS, ConnectionSlots.TOO_MANY, null, null);
    ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
