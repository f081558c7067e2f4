package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/**
 * {@link PgDirectSocket} on a real epoll socket whose event loop the test can hold still, so that
 * "Netty still has bytes queued" is a state the test sets up rather than a race it hopes for.
 */
class PgDirectSocketTest {
  private EpollEventLoopGroup loop;
  private ServerSocket server;
  private Socket peer;
  private Channel channel;
  private PgDirectSocket writer;

  @BeforeEach
  void connect() throws Exception {
    Assumptions.assumeTrue(Epoll.isAvailable(), "Linux epoll transport");
    loop = new EpollEventLoopGroup(1);
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    channel = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
        .option(ChannelOption.SO_SNDBUF, 16 * 1024)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(server.getLocalSocketAddress()).sync().channel();
    peer = server.accept();
    peer.setSoTimeout(10_000);
    writer = new PgDirectSocket(channel);
    channel.pipeline().addFirst(writer);
    writer.enableDirect();
  }

  @AfterEach
  void close() throws Exception {
    if (loop == null) {
      return;
    }
    channel.close().sync();
    peer.close();
    server.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private ByteBuf bytes(byte[] content) {
    ByteBuf b = channel.alloc().directBuffer(content.length);
    return b.writeBytes(content);
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private byte[] readAvailable() throws Exception {
    InputStream in = peer.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    do {
      got.write(chunk, 0, in.read(chunk));
    } while (in.available() > 0);
    return got.toByteArray();
  }

  @Test
  void aSmallAnswerGoesStraightToTheSocket() throws Exception {
    long before = PgDirectSocket.DIRECT_WRITES.sum();
    ByteBuf answer = bytes(new byte[] {'Z', 0, 0, 0, 5, 'I'});
    assertThat(writer.send(answer)).as("written at once, still ours").isTrue();
    assertThat(answer.refCnt()).isEqualTo(1);
    assertThat(answer.isReadable()).isFalse();
    answer.release();
    assertThat(PgDirectSocket.DIRECT_WRITES.sum()).isEqualTo(before + 1);
    assertThat(readAvailable()).containsExactly('Z', 0, 0, 0, 5, 'I');
  }

  @Test
  void whileNettyHoldsTheRestOfABufferLaterOnesQueueBehindIt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(1);
    channel.eventLoop().execute(() -> { // the loop can write nothing until released
      held.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    int big = 8 * 1024 * 1024; // more than the socket buffers take
    assertThat(writer.send(bytes(filled(big, 'a')))).as("part written directly, the rest queued in Netty").isFalse();
    byte[] first = readAvailable(); // the socket has room again, Netty still holds the rest
    assertThat(writer.send(bytes(filled(10, 'b')))).as("must not overtake the rest").isFalse();
    release.countDown();

    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(first);
    InputStream in = peer.getInputStream();
    byte[] chunk = new byte[64 * 1024];
    while (all.size() < big + 10) {
      int n = in.read(chunk);
      assertThat(n).isPositive();
      all.write(chunk, 0, n);
    }
    byte[] got = all.toByteArray();
    assertThat(first.length).as("the socket took part of it at once").isBetween(1, big - 1);
    assertThat(got).hasSize(big + 10);
    for (int i = 0; i < big; i++) {
      if (got[i] != 'a') {
        throw new AssertionError("byte " + i + " is '" + (char) got[i] + "', expected 'a'");
      }
    }
    assertThat(Arrays.copyOfRange(got, big, big + 10)).containsOnly('b');
  }

  @Test
  void afterACloseNothingIsWrittenDirectly() throws Exception {
    channel.close().sync();
    long before = PgDirectSocket.DIRECT_WRITES.sum();
    assertThat(writer.send(bytes(new byte[] {'Z', 0, 0, 0, 5, 'I'}))).isFalse();
    assertThat(PgDirectSocket.DIRECT_WRITES.sum()).isEqualTo(before);
    assertThat(peer.getInputStream().read()).as("end of stream, no late bytes").isEqualTo(-1);
  }
}
