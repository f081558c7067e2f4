/** The TroupeDB server binary. */
package org.troupedb.node;
