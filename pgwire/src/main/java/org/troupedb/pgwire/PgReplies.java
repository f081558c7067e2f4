package org.troupedb.pgwire;

import io.netty.buffer.ByteBuf;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.troupedb.sql.SqlException;

/**
 * The way back to the client of one connection, shared by its protocol parts: the output buffer
 * ({@link PgOutbound}: buffering and back-pressure), the session's time zone for text values,
 * ParameterStatus, ErrorResponse — and whether the conversation has ended. After a FATAL error,
 * a Terminate or the channel closing nothing more is said: {@link #isOpen()} turns false, the
 * connection releases what it holds ({@code onEnd}) and the channel closes.
 *
 * <p>NB: confined to the connection's serial executor (like {@link PgConnection}), except {@link
 * #writabilityChanged()}, which the event loop calls (it only wakes a waiting worker).
 */
final class PgReplies {
  private final PgOutbound outbound;
  /** The connection's release, run once when the conversation ends. */
  private final Runnable onEnd;
  private boolean open = true;
  /** The session's TimeZone, as last reported by ParameterStatus; text dates are encoded in it. */
  private ZoneId zone = ZoneOffset.UTC;

  PgReplies(PgOutbound outbound, Runnable onEnd) {
    this.outbound = outbound;
    this.onEnd = onEnd;
  }

  /** The buffer to encode the next message into. */
  ByteBuf out() {
    return outbound.buffer();
  }

  /** Sends what is buffered. */
  void flush() {
    outbound.flush();
  }

  /** Sends a full buffer and waits while the client does not read ({@link PgOutbound#flushIfFull}). */
  void flushIfFull() {
    outbound.flushIfFull();
  }

  /** The channel's writability changed (event loop): wake a worker waiting to write. */
  void writabilityChanged() {
    outbound.writabilityChanged();
  }

  /** The session's time zone for text dates and times. */
  ZoneId zone() {
    return zone;
  }

  /** ParameterStatus for each parameter, in order; a TimeZone among them becomes {@link #zone()}. */
  void parameterStatus(Map<String, String> params) {
    params.forEach((k, v) -> PgBackendMessages.parameterStatus(out(), k, v));
    String tz = params.get("TimeZone");
    if (tz != null) {
      zone = org.troupedb.sql.TimeZoneSetting.zone(tz); // UTC for a zone it does not know
    }
  }

  /** ErrorResponse; one with severity FATAL or PANIC then ends the conversation. */
  void error(SqlException e) {
    PgBackendMessages.errorResponse(out(), e.severity(), e.sqlState(), e.getMessage(), e.detail(), e.hint(),
        e.position(), e.context());
    if ("FATAL".equals(e.severity()) || "PANIC".equals(e.severity())) {
      end();
    }
  }

  /** ErrorResponse with severity FATAL, then the end. */
  void fatal(String sqlState, String message) {
    PgBackendMessages.errorResponse(out(), "FATAL", sqlState, message, null, null);
    end();
  }

  /** Ends the conversation: sends what is buffered, releases the connection, closes the channel. */
  void end() {
    open = false;
    flush();
    onEnd.run();
    closeChannel();
  }

  /** The channel closed under the connection: nothing more is said (the caller releases). */
  void closed() {
    open = false;
  }

  /** Whether the conversation goes on (no FATAL, Terminate or close yet). */
  boolean isOpen() {
    return open;
  }

  /** Sends what is buffered, then closes the channel (the connection's end follows on close). */
  void closeChannel() {
    outbound.flushAndClose();
  }

  /** Drops anything unsent (the connection is gone). */
  void release() {
    outbound.release();
  }
}
