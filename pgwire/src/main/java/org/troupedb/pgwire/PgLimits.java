package org.troupedb.pgwire;

/**
 * How many sessions a {@link PgServer} admits, as PostgreSQL's {@code max_connections} and
 * {@code superuser_reserved_connections}.
 *
 * <pre>
 *   logged-in sessions:  0 ─────────── max − reserved ─────── max
 *                        anyone           superusers only     none: FATAL 53300
 *   open sockets:        ≤ 2 × max (PostgreSQL's postmaster bound): the rest of the sockets, in
 *                        startup or authentication, or sending a CancelRequest; beyond it a new
 *                        socket gets FATAL 53300 at once, without a session thread
 *   session threads:     ≤ 2 × max: a connection uses at most one at a time
 * </pre>
 *
 * @param maxConnections the most concurrent logged-in sessions (PostgreSQL's default: 100)
 * @param superuserReservedConnections of those, how many only superusers may take (default 3);
 *     less than {@code maxConnections}
 */
public record PgLimits(int maxConnections, int superuserReservedConnections) {
  public static final PgLimits DEFAULT = new PgLimits(100, 3);

  public PgLimits {
    if (maxConnections < 1 || maxConnections > 100_000) {
      throw new IllegalArgumentException("max_connections out of range [1, 100000]: " + maxConnections);
    }
    if (superuserReservedConnections < 0 || superuserReservedConnections >= maxConnections) {
      throw new IllegalArgumentException("superuser_reserved_connections (" + superuserReservedConnections
          + ") must be less than max_connections (" + maxConnections + ")");
    }
  }

  /** The settings as a session shows them ({@code SHOW max_connections}). */
  public java.util.Map<String, String> settings() {
    return java.util.Map.of("max_connections", Integer.toString(maxConnections),
        "superuser_reserved_connections", Integer.toString(superuserReservedConnections));
  }

  /**
   * The most sockets open at once, and the most session threads: every logged-in session plus as
   * many again for connections still starting up (PostgreSQL's MaxLivePostmasterChildren).
   */
  public int maxSockets() {
    return 2 * maxConnections;
  }
}
