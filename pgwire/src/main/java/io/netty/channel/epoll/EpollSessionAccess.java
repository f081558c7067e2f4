package io.netty.channel.epoll;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;

/**
 * The few package-private pieces of Netty's epoll transport that TroupeDB's pgwire needs to let a
 * session thread read its own connection (see {@code org.troupedb.pgwire.PgSessionReader}): an
 * epoll set of one socket to sleep on, and turning the event loop's interest in a channel's input
 * off and on again. Nothing else here; it lives in Netty's package only for that access.
 */
public final class EpollSessionAccess {
  private EpollSessionAccess() {}

  /**
   * An epoll set holding one socket, level-triggered on input, and an eventfd that wakes the
   * waiting thread (see {@link #wakeUp}), for one thread to wait on.
   */
  public static final class InputWaiter implements AutoCloseable {
    private final FileDescriptor epoll;
    private final FileDescriptor wakeUp;
    private final EpollEventArray events = new EpollEventArray(2);
    /** For {@link #hungUp}, which another thread may call while one sleeps in {@link #await}. */
    private final EpollEventArray checkEvents = new EpollEventArray(2);
    /** EPOLLHUP (0x10 on Linux; Netty's Native does not name it), EPOLLRDHUP, EPOLLERR. */
    private static final int HANG_UP = 0x10 | Native.EPOLLRDHUP | Native.EPOLLERR;

    private InputWaiter(FileDescriptor epoll, FileDescriptor wakeUp) {
      this.epoll = epoll;
      this.wakeUp = wakeUp;
    }

    /**
     * Sleeps until the socket has input (or end of input, or an error), {@link #wakeUp} is called
     * or {@code timeoutMillis} pass. A socket closed meanwhile leaves the set and is never
     * reported: whoever closes it must wake the waiter.
     *
     * @return false if the time passed
     */
    public boolean await(int timeoutMillis) throws IOException {
      return Native.epollWait(epoll, events, timeoutMillis) > 0;
    }

    /**
     * Whether the peer has closed its end or the socket failed (EPOLLRDHUP, EPOLLHUP, EPOLLERR),
     * without waiting and without reading: input merely waiting to be read does not count. Safe
     * beside a thread sleeping in {@link #await}; never after {@link #close} (callers hold the
     * lock that guards it).
     */
    public boolean hungUp() throws IOException {
      int n = Native.epollWait(epoll, checkEvents, 0);
      for (int i = 0; i < n; i++) {
        if (checkEvents.fd(i) != wakeUp.intValue() && (checkEvents.events(i) & HANG_UP) != 0) {
          return true;
        }
      }
      return false;
    }

    /** Ends the current or next {@link #await} at once, for good. Not after {@link #close}. */
    public void wakeUp() {
      Native.eventFdWrite(wakeUp.intValue(), 1L);
    }

    @Override
    public void close() {
      events.free();
      checkEvents.free();
      closeQuietly(epoll);
      closeQuietly(wakeUp);
    }
  }

  private static void closeQuietly(FileDescriptor fd) {
    try {
      fd.close();
    } catch (IOException ignored) {
      // nothing to do: neither held anything but itself
    }
  }

  /**
   * An epoll set watching {@code socket}. The caller must guarantee that {@code socket} is open
   * during the call (its number could otherwise belong to another connection).
   */
  public static InputWaiter inputWaiter(FileDescriptor socket) throws IOException {
    FileDescriptor epoll = Native.newEpollCreate();
    FileDescriptor wakeUp = null;
    try {
      wakeUp = Native.newEventFd();
      Native.epollCtlAdd(epoll.intValue(), socket.intValue(), Native.EPOLLIN | Native.EPOLLRDHUP);
      Native.epollCtlAdd(epoll.intValue(), wakeUp.intValue(), Native.EPOLLIN);
    } catch (IOException | RuntimeException e) {
      closeQuietly(epoll);
      if (wakeUp != null) {
        closeQuietly(wakeUp);
      }
      throw e;
    }
    return new InputWaiter(epoll, wakeUp);
  }

  /**
   * The event loop stops reading {@code channel} and stops watching for its end of input, so that
   * another thread may read the socket alone; or, if the loop could still read it, nothing changes
   * and this returns false (the caller retries after the loop's next read). Call on the channel's
   * event loop, from {@code channelReadComplete}. Errors (EPOLLERR) still reach the loop, which
   * then fails the channel.
   *
   * <p>It refuses while the loop could still read: when the last read filled its buffer (on the
   * edge-triggered transport the socket may hold more, and a following EPOLLRDHUP would make the
   * loop read it), or when a read of the loop's own is already queued ({@code epollInReady} as a
   * task, which reads whatever the flags say). Otherwise it clears the read request as well as
   * autoRead: {@code setAutoRead(false)} alone leaves a {@code read()} someone asked for earlier
   * (a decoder waiting for the rest of a message) in force when autoRead was already off.
   *
   * @return true if the loop no longer reads the channel
   */
  public static boolean stopEventLoopInput(EpollSocketChannel channel) throws IOException {
    AbstractEpollChannel.AbstractEpollUnsafe unsafe = (AbstractEpollChannel.AbstractEpollUnsafe) channel.unsafe();
    if (channel.epollInReadyRunnablePending || unsafe.recvBufAllocHandle().maybeMoreDataToRead()) {
      return false;
    }
    channel.config().setAutoRead(false);
    channel.clearEpollIn(); // readPending off and EPOLLIN out of the set, whatever autoRead was
    channel.clearFlag(Native.EPOLLRDHUP);
    return true;
  }

  /** Undoes {@link #stopEventLoopInput}: the event loop reads the channel again. Event loop only. */
  public static void resumeEventLoopInput(EpollSocketChannel channel) throws IOException {
    channel.setFlag(Native.EPOLLRDHUP);
    channel.config().setAutoRead(true);
  }
}
