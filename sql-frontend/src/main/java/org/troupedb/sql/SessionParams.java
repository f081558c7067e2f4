package org.troupedb.sql;

import java.util.Map;

/**
 * What a client asked for at startup.
 *
 * @param user the authenticated user name
 * @param database the database to connect to
 * @param options the remaining startup parameters (application_name, client_encoding, DateStyle,
 *     TimeZone, options, …) as sent by the client
 */
public record SessionParams(String user, String database, Map<String, String> options) {}
