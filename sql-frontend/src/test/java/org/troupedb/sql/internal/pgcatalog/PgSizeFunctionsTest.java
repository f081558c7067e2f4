package org.troupedb.sql.internal.pgcatalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** pg_size_pretty as PostgreSQL 15 prints it (values taken from PostgreSQL 15.x); sizes are unknown (NULL). */
class PgSizeFunctionsTest {

  @Test
  void sizePrettyMatchesPostgres() {
    long[] in = {-20000, 0, 10239, 10240, 20479, 20480, 1048575, 1048576, 123456789012L, 3377699720527872L,
        Long.MAX_VALUE};
    String[] out = {"-20 kB", "0 bytes", "10239 bytes", "10 kB", "20 kB", "20 kB", "1024 kB", "1024 kB", "115 GB",
        "3072 TB", "8192 PB"};
    for (int i = 0; i < in.length; i++) {
      assertThat(PgSizeFunctions.pg_size_pretty(in[i])).as("pg_size_pretty(" + in[i] + ")").isEqualTo(out[i]);
    }
    assertThat(PgSizeFunctions.pg_size_pretty(null)).isNull();
    assertThat(PgSizeFunctions.pg_table_size(16385L)).isNull();
  }
}
