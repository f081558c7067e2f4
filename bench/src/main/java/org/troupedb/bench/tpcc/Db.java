package org.troupedb.bench.tpcc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where and how to connect: a pgjdbc URL with optional user and password. Connections get
 * {@code connectTimeout=10} and {@code socketTimeout=300} unless the URL sets them, so a stuck
 * server ends the run instead of hanging it.
 */
public record Db(String url, String user, String password) {

  public Connection connect() throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    if (!url.contains("connectTimeout=")) {
      p.setProperty("connectTimeout", "10");
    }
    if (!url.contains("socketTimeout=")) {
      p.setProperty("socketTimeout", "300");
    }
    return DriverManager.getConnection(url, p);
  }
}
