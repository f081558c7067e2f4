package org.troupedb.pgwire;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * TLS for client connections: the server's certificate chain and key, and whether a client that
 * does not ask for TLS (SSLRequest) is refused. A client's SSLRequest is answered 'S' and the
 * handshake starts on the same socket, as in PostgreSQL.
 *
 * @param context the server-side Netty TLS context
 * @param required refuse plaintext sessions (28000), like a pg_hba.conf with only {@code hostssl} lines
 */
public record PgTls(SslContext context, boolean required) {

  public PgTls {
    Objects.requireNonNull(context, "context");
    if (!context.isServer()) {
      throw new IllegalArgumentException("not a server TLS context");
    }
  }

  /**
   * TLS from PEM files: {@code certChain} (the node certificate, then any intermediates) and
   * {@code key} (its PKCS#8 private key).
   */
  public static PgTls fromPem(File certChain, File key, boolean required) throws SSLException {
    return new PgTls(SslContextBuilder.forServer(certChain, key).protocols("TLSv1.3", "TLSv1.2").build(), required);
  }
}
