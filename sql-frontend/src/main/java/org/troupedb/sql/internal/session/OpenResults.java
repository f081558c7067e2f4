package org.troupedb.sql.internal.session;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.troupedb.sql.internal.exec.StreamedResult;

/**
 * The session's results still being read ({@link StreamedResult}s, a portal's rows): each ends
 * when read to its end or closed by the wire layer; whatever is still open is closed here when
 * its transaction ends, as PostgreSQL drops a transaction's portals — an implicit transaction's
 * at the client's Sync, a block's at COMMIT or ROLLBACK, all of them when the session closes. So
 * no result holds a transaction, memory or a statement timer past those points.
 *
 * <p>NB: owned by the session's thread.
 */
final class OpenResults {
  private static final Logger LOG = LoggerFactory.getLogger(OpenResults.class);

  private record Open(StreamedResult result, boolean implicit) {}

  private final List<Open> open = new ArrayList<>();

  /** Tracks {@code r}; {@code implicit}: it reads in an implicit transaction of its own. */
  void add(StreamedResult r, boolean implicit) {
    open.removeIf(o -> o.result().ended());
    open.add(new Open(r, implicit));
  }

  /** Closes the implicit transactions' results (the client's Sync). */
  void closeImplicit() {
    close(true);
  }

  /** Closes every result still open. */
  void closeAll() {
    close(false);
  }

  private void close(boolean implicitOnly) {
    List<Open> closing = new ArrayList<>();
    open.removeIf(o -> (!implicitOnly || o.implicit()) && closing.add(o));
    for (Open o : closing) {
      try {
        o.result().close();
      } catch (RuntimeException e) {
        LOG.debug("closing an open result", e); // it ends either way; nobody is reading it
      }
    }
  }
}
