package org.troupedb.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * SQLAlchemy 1.4's ORM through psycopg2 (Debian's python3-sqlalchemy and python3-psycopg2, which
 * .ci/run installs) against one node: src/test/resources/sqlalchemy/orm_reflect.py creates a schema
 * with relationships, reflects it with {@code MetaData.reflect()} and the Inspector (tables,
 * columns, primary keys, foreign keys, indexes, unique constraints), and runs CRUD through a
 * Session; it exits non-zero on the first wrong answer.
 */
class SqlAlchemyIT extends InProcessNodeFixture {
  @Test
  void ormCreatesReflectsAndRunsCrud() throws Exception {
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    DriversIT.Result r = DriversIT.run(Path.of("src/test/resources/sqlalchemy"), 300, python, "orm_reflect.py",
        Integer.toString(node.pgAddress().getPort()));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("sqlalchemy 1.4", "ok reflected tables", "ok sa_order_line foreign keys",
        "ok sa_order indexes", "ok sa_product unique constraints", "ok foreign key violation refused with 23503",
        "sqlalchemy orm: all passed");
  }
}
