/** Benchmarks over JDBC, against TroupeDB or PostgreSQL. */
package org.troupedb.bench;
