package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.provisioning.DriftChecker;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.LedgerFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The catalog version gauges, fed by the drift report in the ledger. */
class CatalogVersionGaugesTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Ledger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(60));
  private final CatalogVersionGauges gauges =
      new CatalogVersionGauges(ledger, CatalogFixtures.minimalV2(), registry);

  private double orgs(String version) {
    return registry.get("provisioner.orgs.catalog.version").tag("version", version).gauge().value();
  }

  @Test
  void orgsPerVersion_followTheLastDriftReport_andAVersionNoLongerCountedDropsOut() {
    ledger.saveReport(
        DriftChecker.LATEST_REPORT, "{\"catalog_versions\":{\"1\":4,\"2\":6}}", Instant.now());
    gauges.refresh();
    assertThat(orgs("1")).isEqualTo(4);
    assertThat(orgs("2")).isEqualTo(6);

    ledger.saveReport(
        DriftChecker.LATEST_REPORT, "{\"catalog_versions\":{\"2\":10}}", Instant.now());
    gauges.refresh();

    assertThat(orgs("2")).isEqualTo(10);
    assertThat(registry.find("provisioner.orgs.catalog.version").tag("version", "1").gauge())
        .isNull();
  }

  @Test
  void theInstancesOwnCatalogVersions_areShownPerScope() {
    assertThat(
            registry
                .get("provisioner.catalog.version.info")
                .tag("scope", "org")
                .tag("version", "2")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(registry.find("provisioner.catalog.version.info").tag("scope", "central").gauge())
        .isNotNull();
  }

  @Test
  void beforeTheFirstDriftCheck_noOrgSeriesExists() {
    gauges.refresh();

    assertThat(registry.find("provisioner.orgs.catalog.version").gauges()).isEmpty();
  }
}
