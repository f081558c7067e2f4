/** Range actors: MVCC key-value ranges as sharded, event-sourced Pekko actors. */
package org.troupedb.range;
