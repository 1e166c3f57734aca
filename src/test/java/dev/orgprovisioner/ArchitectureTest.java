package dev.orgprovisioner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** Keeps the hexagon: domain packages never reach adapters, frameworks or cloud SDKs. */
class ArchitectureTest {

  private static final String[] DOMAIN = {
    "dev.orgprovisioner.catalog..",
    "dev.orgprovisioner.plan..",
    "dev.orgprovisioner.command..",
    "dev.orgprovisioner.provisioning..",
    "dev.orgprovisioner.execution..",
    "dev.orgprovisioner.rollout..",
  };

  private static final String[] ADAPTERS_AND_INFRASTRUCTURE = {
    "dev.orgprovisioner.messaging..",
    "dev.orgprovisioner.ledger..",
    "dev.orgprovisioner.warehouse.bigquery..",
    "dev.orgprovisioner.warehouse.duckdb..",
    "dev.orgprovisioner.api..",
    "dev.orgprovisioner.cli..",
    "dev.orgprovisioner.notify..",
    "dev.orgprovisioner.app..",
    "dev.orgprovisioner.emulator..",
    "com.google.cloud..",
    "com.google.api..",
    "com.google.pubsub..",
    "com.google.firestore..",
    "io.grpc..",
    "org.duckdb..",
    "io.quarkus..",
    "io.smallrye..",
    "jakarta..",
    "org.eclipse.microprofile..",
  };

  // Imported once for all rules: JUnit makes an instance per test, and importing is the cost.
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.orgprovisioner");

  @Test
  void domainPackages_dependOnNoAdapterFrameworkOrCloudSdk() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(DOMAIN)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ADAPTERS_AND_INFRASTRUCTURE);
    rule.check(CLASSES);
  }

  @Test
  void notifyCore_isPureLogic_withAdaptersInItsSubpackages() {
    noClasses()
        .that()
        .resideInAPackage("dev.orgprovisioner.notify")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.orgprovisioner.notify.*..",
            "dev.orgprovisioner.messaging..",
            "dev.orgprovisioner.ledger..",
            "dev.orgprovisioner.warehouse..",
            "dev.orgprovisioner.app..",
            "com.google..",
            "com.fasterxml..",
            "io.grpc..",
            "io.quarkus..",
            "io.smallrye..",
            "io.vertx..",
            "jakarta..",
            "org.eclipse.microprofile..",
            "java.net.http..")
        .check(CLASSES);
  }

  @Test
  void warehousePort_dependsOnNoAdapter() {
    noClasses()
        .that()
        .resideInAPackage("dev.orgprovisioner.warehouse")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.orgprovisioner.warehouse.bigquery..",
            "dev.orgprovisioner.warehouse.duckdb..",
            "com.google.cloud..",
            "org.duckdb..")
        .check(CLASSES);
  }

  @Test
  void adapters_doNotDependOnTheApplicationsWiring() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.orgprovisioner.messaging..",
            "dev.orgprovisioner.ledger..",
            "dev.orgprovisioner.warehouse..",
            "dev.orgprovisioner.api..",
            "dev.orgprovisioner.cli..",
            "dev.orgprovisioner.notify..",
            "dev.orgprovisioner.emulator..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.orgprovisioner.app..")
        .check(CLASSES);
  }

  @Test
  void adapters_doNotDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.orgprovisioner.warehouse.duckdb..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.orgprovisioner.warehouse.bigquery..",
            "dev.orgprovisioner.messaging..",
            "dev.orgprovisioner.ledger..",
            "dev.orgprovisioner.api..")
        .check(CLASSES);
  }
}
