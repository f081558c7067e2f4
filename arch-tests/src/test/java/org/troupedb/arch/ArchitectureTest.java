package org.troupedb.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of DESIGN.md section 2, checked on every module's main classes: the
 * modules depend down the statement's flow only, and inside sql-frontend the stage packages do
 * too. A rule that fails names the class, the dependency and the source line. Plain JUnit tests
 * (one per rule) rather than ArchUnit's own engine, so {@code -Dtest=ArchitectureTest} selects them.
 *
 * <pre>
 *   node ──▶ pgwire ──▶ sql ──▶ txn ──▶ range ──▶ hlc        bench ──▶ JDBC only
 *
 *   sql-frontend, lowest stage first (a stage uses only the stages below it):
 *   errors ◀ parser ◀ types ◀ catalog ◀ functions ◀ kv ◀ pgcatalog ◀ plan ◀ auth ◀ exec ◀ session
 * </pre>
 */
class ArchitectureTest {
  private static final String INTERNAL = "org.troupedb.sql.internal.";
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
        .importPackages("org.troupedb");
  }

  // ---- modules (DESIGN.md section 2) ----

  private static final ArchRule MODULES_ARE_FREE_OF_CYCLES = slices().matching("org.troupedb.(*)..")
      .namingSlices("module $1").should().beFreeOfCycles();

  private static final ArchRule HLC_DEPENDS_ON_NO_MODULE = noClasses().that().resideInAPackage("org.troupedb.hlc..")
      .should().dependOnClassesThat(
          resideInAPackage("org.troupedb..").and(not(resideInAPackage("org.troupedb.hlc.."))))
      .because("the clock is a leaf: no other module");

  private static final ArchRule RANGE_AND_TXN_KNOW_NO_SQL = noClasses()
      .that().resideInAnyPackage("org.troupedb.range..", "org.troupedb.txn..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "org.troupedb.sql..", "org.troupedb.pgwire..", "org.troupedb.node..", "org.troupedb.bench..")
      .because("nothing in range-actors or txn-coordinator knows about SQL, the wire protocol or the node");

  private static final ArchRule RANGE_KNOWS_NO_TRANSACTION_COORDINATOR = noClasses()
      .that().resideInAPackage("org.troupedb.range..")
      .should().dependOnClassesThat().resideInAPackage("org.troupedb.txn..")
      .because("txn-coordinator depends on range-actors, not the other way");

  private static final ArchRule SQL_KNOWS_NO_NETTY = noClasses().that().resideInAPackage("org.troupedb.sql..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "io.netty..", "org.troupedb.pgwire..", "org.troupedb.node..", "org.troupedb.bench..")
      .because("nothing in sql-frontend knows about Netty or the modules above it");

  private static final ArchRule PGWIRE_KNOWS_NO_RANGE_INTERNALS = noClasses()
      .that().resideInAPackage("org.troupedb.pgwire..")
      .should().dependOnClassesThat().resideInAnyPackage("org.troupedb.range..", "org.troupedb.node..")
      .because("pgwire talks to the SQL session only; ranges are two layers down");

  private static final ArchRule BENCH_USES_JDBC_ONLY = noClasses().that().resideInAPackage("org.troupedb.bench..")
      .should().dependOnClassesThat(
          resideInAPackage("org.troupedb..").and(not(resideInAPackage("org.troupedb.bench.."))))
      .because("the benchmark runs against TroupeDB or PostgreSQL over JDBC, so it uses no TroupeDB code");

  /**
   * Other modules use sql-frontend through its public API, the root package {@code org.troupedb.sql}.
   * NB: one known exception: the node starts the catalog warmer ({@code pgcatalog.CatalogWarmer})
   * directly; it belongs behind {@code SqlEngine}.
   */
  private static final ArchRule SQL_INTERNALS_STAY_INSIDE = noClasses()
      .that().resideOutsideOfPackage("org.troupedb.sql..")
      .should().dependOnClassesThat(resideInAPackage("org.troupedb.sql.internal..")
          .and(not(nameMatching("org\\.troupedb\\.sql\\.internal\\.pgcatalog\\.CatalogWarmer(\\$.*)?"))))
      .because("a module's public API lives in its root package (DESIGN.md section 2)");

  // ---- sql-frontend: stage packages ----

  /**
   * Stages may only point down. auth and exec get the statement's context ({@code
   * plan.StatementContext}), never the session.
   */
  private static final ArchRule SQL_STAGES_POINT_DOWN = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("errors").definedBy(INTERNAL + "errors..")
      .layer("parser").definedBy("org.troupedb.sql.parser..")
      .layer("types").definedBy(INTERNAL + "types..")
      .layer("catalog").definedBy(INTERNAL + "catalog..")
      .layer("functions").definedBy(INTERNAL + "functions..")
      .layer("kv").definedBy(INTERNAL + "kv..")
      .layer("pgcatalog").definedBy(INTERNAL + "pgcatalog..")
      .layer("plan").definedBy(INTERNAL + "plan..")
      .layer("auth").definedBy(INTERNAL + "auth..")
      .layer("exec").definedBy(INTERNAL + "exec..")
      .layer("session").definedBy(INTERNAL + "session..")
      .whereLayer("errors").mayNotAccessAnyLayer()
      .whereLayer("parser").mayOnlyAccessLayers("errors")
      .whereLayer("types").mayOnlyAccessLayers("errors", "parser")
      .whereLayer("catalog").mayOnlyAccessLayers("errors", "parser", "types")
      .whereLayer("functions").mayOnlyAccessLayers("errors", "parser", "types", "catalog")
      .whereLayer("kv").mayOnlyAccessLayers("errors", "parser", "types", "catalog", "functions")
      .whereLayer("pgcatalog").mayOnlyAccessLayers("errors", "parser", "types", "catalog", "functions", "kv")
      .whereLayer("plan").mayOnlyAccessLayers("errors", "parser", "types", "catalog", "functions", "kv",
          "pgcatalog")
      .whereLayer("auth").mayOnlyAccessLayers("errors", "parser", "types", "catalog", "functions", "kv",
          "pgcatalog", "plan")
      .whereLayer("exec").mayOnlyAccessLayers("errors", "parser", "types", "catalog", "functions", "kv",
          "pgcatalog", "plan", "auth");

  private static final ArchRule SQL_STAGES_ARE_FREE_OF_CYCLES = slices().matching("org.troupedb.sql.internal.(*)..")
      .namingSlices("sql stage $1").should().beFreeOfCycles();

  @Test
  void modulesAreFreeOfCycles() {
    MODULES_ARE_FREE_OF_CYCLES.check(classes);
  }

  @Test
  void hlcDependsOnNoModule() {
    HLC_DEPENDS_ON_NO_MODULE.check(classes);
  }

  @Test
  void rangeAndTxnKnowNoSql() {
    RANGE_AND_TXN_KNOW_NO_SQL.check(classes);
  }

  @Test
  void rangeKnowsNoTransactionCoordinator() {
    RANGE_KNOWS_NO_TRANSACTION_COORDINATOR.check(classes);
  }

  @Test
  void sqlKnowsNoNetty() {
    SQL_KNOWS_NO_NETTY.check(classes);
  }

  @Test
  void pgwireKnowsNoRangeInternals() {
    PGWIRE_KNOWS_NO_RANGE_INTERNALS.check(classes);
  }

  @Test
  void benchUsesJdbcOnly() {
    BENCH_USES_JDBC_ONLY.check(classes);
  }

  @Test
  void sqlInternalsStayInside() {
    SQL_INTERNALS_STAY_INSIDE.check(classes);
  }

  @Test
  void sqlStagesPointDown() {
    SQL_STAGES_POINT_DOWN.check(classes);
  }

  @Test
  void sqlStagesAreFreeOfCycles() {
    SQL_STAGES_ARE_FREE_OF_CYCLES.check(classes);
  }
}
