/** Shared test fixtures and contract tests. */
package org.troupedb.testkit;
