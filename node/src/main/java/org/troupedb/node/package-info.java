/**
 * The TroupeDB server binary: {@code Main} (picocli commands) parses options into a {@link
 * org.troupedb.node.NodeConfig}, and {@link org.troupedb.node.TroupeNode} starts the cluster
 * member, KV layer, SQL engine and pgwire server from it. Command-line options reach the node
 * through {@code NodeConfig} (among them {@code --max-connections}, which wins over the HOCON
 * setting {@code troupedb.pgwire.max-connections}); HOCON settings ({@code troupedb.*}) fill in
 * the rest. NB: {@code --gc-ttl} is still passed as the system property {@code
 * troupedb.kv.gc-ttl}, which the KV layer reads from the actor system's configuration.
 */
package org.troupedb.node;
