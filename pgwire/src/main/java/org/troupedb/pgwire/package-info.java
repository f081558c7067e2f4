/** PostgreSQL wire protocol v3 server. */
package org.troupedb.pgwire;
