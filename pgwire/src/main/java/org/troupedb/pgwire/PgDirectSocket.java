package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.EpollSessionAccess;
import io.netty.channel.epoll.EpollSessionAccess.InputWaiter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a connection's session thread use the socket itself: it sends the output ({@link #send})
 * and, for {@link PgSessionReader}, reads the input ({@link #read}).
 *
 * <p>Through Netty, a write from a thread that is not the channel's event loop becomes a task on
 * that loop: the session thread wakes the loop (an eventfd write), the loop wakes up, writes, and
 * sleeps again. For a point query that hand-off costs as much CPU as the query itself, most of it
 * in the kernel. So once a connection is authenticated, on Linux's epoll transport and without
 * TLS, {@link #send} writes the buffer to the socket itself, with one non-blocking write(2). What
 * the socket does not take at once goes through the channel as before, and so does every buffer
 * while earlier ones are still queued in Netty: the bytes never change order.
 *
 * <p>Closing. A direct write must never reach a file descriptor that Netty has closed, whose
 * number the kernel may already have given to another connection. Every close of the channel
 * passes through this handler, which first turns direct writes and reads off under the lock that
 * each of them holds: {@link PgServer} configures its channels with {@code ALLOW_HALF_CLOSURE} and
 * without {@code AUTO_CLOSE}, so that Netty never closes one by itself on end of input or a failed
 * write (it reports those as events, on which {@link PgConnectionHandler} closes the channel).
 */
final class PgDirectSocket extends ChannelOutboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(PgDirectSocket.class);
  /** Direct writes across all connections, for tests. */
  static final LongAdder DIRECT_WRITES = new LongAdder();

  private final Channel channel;
  /** The socket, on the epoll transport; null otherwise. */
  private final FileDescriptor socket;
  /** Buffers handed to Netty and not yet written by it. */
  private final AtomicInteger queuedInNetty = new AtomicInteger();
  private final ChannelFutureListener written = f -> queuedInNetty.decrementAndGet();
  /** Guarded by this. */
  private boolean direct;
  /** Guarded by this: once set, direct writes stay off. */
  private boolean stopped;
  /** Guarded by this. */
  private InputWaiter inputWaiter;

  PgDirectSocket(Channel channel) {
    this.channel = channel;
    this.socket = channel instanceof EpollSocketChannel epoll ? epoll.fd() : null;
  }

  /**
   * The connection is authenticated: write directly from now on, if the transport allows it and
   * there is no TLS (its pipeline no longer changes).
   */
  synchronized void enableDirect() {
    direct = !stopped && socket != null && channel.pipeline().get(SslHandler.class) == null;
  }

  /** No more direct writes or reads: what follows goes through Netty, after anything written before. */
  synchronized void stopDirect() {
    stopped = true;
    direct = false;
    if (inputWaiter != null) {
      inputWaiter.wakeUp();
    }
  }

  /**
   * Writes what {@code buf} holds: directly when possible, else through the channel.
   *
   * @return true if the socket took all of it at once, and the (now empty) buffer is still the
   *     caller's to reuse; false if the buffer is gone (the channel took it over, or it was
   *     dropped because the channel is closed)
   */
  boolean send(ByteBuf buf) {
    synchronized (this) {
      if (direct && buf.hasMemoryAddress() && queuedInNetty.get() == 0) {
        try {
          buf.skipBytes(socket.writeAddress(buf.memoryAddress(), buf.readerIndex(), buf.writerIndex()));
        } catch (IOException e) {
          // The peer is gone (EPIPE, ECONNRESET): let Netty's write fail and report it, as it
          // would have without the direct path.
          LOG.debug("direct write to {} failed: {}", channel.remoteAddress(), e.toString());
          direct = false;
        }
        if (!buf.isReadable()) {
          DIRECT_WRITES.increment();
          return true;
        }
      }
      if (!channel.isOpen()) {
        buf.release(); // closed (its event loop may be gone too): nothing can be sent
        return false;
      }
      // Handed over under the lock: a stopDirect() caller's own write then queues behind it.
      queuedInNetty.incrementAndGet();
      channel.writeAndFlush(buf).addListener(written);
      return false;
    }
  }

  /** Whether the session writes the socket itself (see {@link #enableDirect}). */
  synchronized boolean isDirect() {
    return direct;
  }

  /** False once the channel is being closed: no direct read or write will happen again. */
  synchronized boolean isOpen() {
    return !stopped;
  }

  /**
   * Where {@link PgSessionReader} sleeps until the socket has input: created on the first call,
   * woken when the channel closes ({@link #stopDirect}); null once the socket is closed.
   */
  synchronized InputWaiter inputWaiter() throws IOException {
    if (stopped || socket == null) {
      return null;
    }
    if (inputWaiter == null) {
      inputWaiter = EpollSessionAccess.inputWaiter(socket);
    }
    return inputWaiter;
  }

  /**
   * Whether the client is known to be gone: the channel is being closed, or, while the session
   * thread reads the socket itself, the peer has hung up (see {@link InputWaiter#hungUp}). Any
   * thread. On other transports the event loop watches the input and closes the channel.
   */
  synchronized boolean peerGone() {
    if (stopped) {
      return true;
    }
    try {
      return inputWaiter != null && inputWaiter.hungUp();
    } catch (IOException e) {
      return true;
    }
  }

  /** Frees the {@link #inputWaiter()}, once nobody waits on it any more. */
  synchronized void releaseInputWaiter() {
    if (inputWaiter != null) {
      inputWaiter.close();
      inputWaiter = null;
    }
  }

  /** Closes the channel (through the pipeline, so through {@link #close}). */
  void closeChannel() {
    channel.close();
  }

  @Override
  public String toString() {
    return "connection " + channel.remoteAddress();
  }

  /**
   * Reads what the socket holds into {@code buf}'s writable bytes, without blocking. Only for the
   * one thread that reads the socket in place of the event loop ({@link PgSessionReader}).
   *
   * @return the number of bytes read (0 if none are there now), or -1 at end of input or once the
   *     socket is no longer this connection's to read (closed, or being closed)
   * @throws IOException if the socket failed (e.g. ECONNRESET)
   */
  int read(ByteBuf buf) throws IOException {
    synchronized (this) {
      if (stopped || socket == null) {
        return -1;
      }
      int n = socket.readAddress(buf.memoryAddress(), buf.writerIndex(), buf.capacity());
      if (n > 0) {
        buf.writerIndex(buf.writerIndex() + n);
      }
      return n;
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    stopDirect();
    ctx.close(promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    stopDirect();
    ctx.disconnect(promise);
  }
}
