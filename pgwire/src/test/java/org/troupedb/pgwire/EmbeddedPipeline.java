package org.troupedb.pgwire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.troupedb.pgwire.Backend.Msg;
import org.troupedb.sql.SqlEngine;

/**
 * The server's whole connection pipeline (frame decoder, connection handler) on an {@link
 * EmbeddedChannel} with a frozen clock, for byte-level tests (test helper).
 */
final class EmbeddedPipeline {
  private EmbeddedPipeline() {}

  /** The startup (authentication) timeout of every pipeline {@link #open} makes. */
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A registered channel running {@code engine}'s sessions on {@code pool}; {@code remote} is the
   * client's address the server sees (null: the embedded channel's own, which counts as loopback).
   */
  static EmbeddedChannel open(SqlEngine engine, PgServerConfig config, CancelRegistry registry, Executor pool,
      SocketAddress remote) {
    EmbeddedChannel ch = new EmbeddedChannel(false, false) {
      @Override
      protected SocketAddress remoteAddress0() {
        return remote == null ? super.remoteAddress0() : remote;
      }
    };
    ch.freezeTime();
    ch.pipeline().addLast(new PgFrameDecoder(1 << 20),
        new PgConnectionHandler(engine, config, registry, pool, STARTUP_TIMEOUT));
    try {
      ch.register();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return ch;
  }

  /** Everything the server has written so far, split into messages. */
  static List<Msg> read(EmbeddedChannel ch) {
    ByteBuf all = Unpooled.buffer();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      all.writeBytes(b);
      b.release();
    }
    return Backend.split(all);
  }

  /** Advances the clock: {@code ch} is still open a second before the startup timeout, closed a second after. */
  static void assertClosedAtTheStartupTimeout(EmbeddedChannel ch) {
    ch.advanceTimeBy(STARTUP_TIMEOUT.toSeconds() - 1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isActive()).isTrue();
    ch.advanceTimeBy(2, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isActive()).isFalse();
  }
}
