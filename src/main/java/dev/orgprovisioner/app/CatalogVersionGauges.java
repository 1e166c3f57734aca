package dev.orgprovisioner.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.provisioning.DriftChecker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Catalog version gauges: orgs per catalog version their dataset was last synced to, as the last
 * drift check counted them (stored in the ledger, so every instance shows the same fleet), and the
 * version this instance runs (two values side by side during a deploy).
 */
@ApplicationScoped
public class CatalogVersionGauges {

  private static final Logger LOG = Logger.getLogger(CatalogVersionGauges.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Ledger ledger;
  private final MultiGauge orgs;

  public CatalogVersionGauges(Ledger ledger, Catalog catalog, MeterRegistry registry) {
    this.ledger = ledger;
    this.orgs =
        MultiGauge.builder("provisioner.orgs.catalog.version")
            .description(
                "Orgs per catalog version their dataset was last synced to (schema-version"
                    + " label), as counted by the last drift check; version=none: no label")
            .register(registry);
    Gauge.builder("provisioner.catalog.version.info", () -> 1)
        .description("The catalog version this instance runs (value always 1)")
        .tag("scope", "org")
        .tag("version", catalog.org().version())
        .register(registry);
    Gauge.builder("provisioner.catalog.version.info", () -> 1)
        .description("The catalog version this instance runs (value always 1)")
        .tag("scope", "central")
        .tag("version", catalog.central().version())
        .register(registry);
  }

  void onStart(@Observes io.quarkus.runtime.StartupEvent event) {
    // Touching the bean registers the gauges at start rather than at the first scheduled run.
  }

  @Scheduled(
      identity = "catalog-versions",
      every = "${monitoring.queue-depth-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      ledger.report(DriftChecker.LATEST_REPORT).ifPresent(this::show);
    } catch (RuntimeException e) {
      // The gauges keep their last values; readiness reports a ledger outage.
      LOG.debugf("Catalog version gauges not refreshed: %s", e.getMessage());
    }
  }

  /** Shows the counts of one drift report; a version no longer counted drops out of the series. */
  void show(String reportJson) {
    JsonNode versions;
    try {
      versions = JSON.readTree(reportJson).path("catalog_versions");
    } catch (java.io.IOException e) {
      LOG.debugf("Drift report unreadable: %s", e.getMessage());
      return;
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    versions
        .fields()
        .forEachRemaining(
            e -> {
              long count = e.getValue().asLong();
              rows.add(MultiGauge.Row.of(Tags.of("version", e.getKey()), count));
            });
    orgs.register(rows, true);
  }
}
