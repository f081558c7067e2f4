package org.troupedb.sql;

/**
 * What client authentication needs to know about a role: whether it may log in and its stored
 * SCRAM-SHA-256 verifier (null: the role has no password and cannot authenticate with one).
 */
public record LoginRole(String name, boolean superuser, boolean canLogin, ScramSha256.Verifier verifier) {}
