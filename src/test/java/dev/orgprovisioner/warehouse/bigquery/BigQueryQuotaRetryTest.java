package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.PlanStep.UpdateTableOptions;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.plan.TableOption;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.BucketGate;
import dev.orgprovisioner.warehouse.LocalQuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.bigquery.StubQuotas.Quota;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter under the quota-enforcing stub, through the real client: its quota gate keeps one
 * instance under the per-table limit, and instances sharing the fleet's windows together; a 403
 * rateLimitExceeded (instances each on their own windows) is transient, slows the gate down and is
 * retried by RetryingWarehouse. One stepped clock serves the stub's windows and the gates' waits,
 * so nothing really sleeps for 10 s.
 */
class BigQueryQuotaRetryTest {

  private static final String PROJECT = "test-project";
  private static final Duration WINDOW = Duration.ofSeconds(10);

  private final Catalog catalog = CatalogFixtures.minimal();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private BigQueryStub stub;
  private BigQueryWarehouse first;
  private BigQueryWarehouse second;
  private StubQuotas quotas;

  /** One worker instance pacing itself over {@code windows}, waiting on the stepped clock. */
  private BigQueryWarehouse instance(QuotaBuckets windows) {
    return BigQueryWarehouse.create(
        new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 1L << 30, 4),
        new BucketGate(
            windows,
            1.0,
            () -> Instant.ofEpochSecond(0, now.get()),
            d -> now.addAndGet(d.toNanos())));
  }

  @BeforeEach
  void start() {
    stub = BigQueryStub.start();
    first = instance(new LocalQuotaBuckets());
    second = instance(new LocalQuotaBuckets());
    DesiredDataset org = new DesiredDataset("org_acme", "EU", catalog.org(), "central", "acme");
    Planner.plan(org, first.freshSnapshot("org_acme"), first::viewSql)
        .steps()
        .forEach(first::apply);
    now.addAndGet(WINDOW.toNanos());
    quotas = stub.enforceQuotas(new StubQuotas(StubQuotas.Limits.published(), 1.0, now::get));
  }

  @AfterEach
  void stop() {
    first.close();
    second.close();
    stub.close();
  }

  private UpdateTableOptions describeInvoices() {
    TableDef invoices =
        catalog.org().tables().stream()
            .filter(t -> t.name().equals("invoices"))
            .findFirst()
            .orElseThrow();
    return new UpdateTableOptions(
        "org_acme", invoices, java.util.Map.of(), Set.of(TableOption.DESCRIPTION));
  }

  @Test
  void oneInstance_pacesItsTableUpdates_andTheStubRefusesNone() {
    long start = now.get();

    for (int i = 0; i < 12; i++) {
      first.apply(describeInvoices());
    }

    assertThat(quotas.rejections()).isEmpty();
    assertThat(stub.requests("PATCH", ".*/tables/invoices")).hasSize(12);
    assertThat(Duration.ofNanos(now.get() - start))
        .as("12 updates at 5 per 10 s take two waits")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void twoInstancesSharingTheFleetsWindows_stayUnderTheLimitTogether() {
    QuotaBuckets fleet = new LocalQuotaBuckets();
    BigQueryWarehouse a = instance(fleet);
    BigQueryWarehouse b = instance(fleet);
    try {
      for (int i = 0; i < 6; i++) {
        a.apply(describeInvoices());
        b.apply(describeInvoices());
      }
    } finally {
      a.close();
      b.close();
    }

    assertThat(quotas.rejections()).isEmpty();
    assertThat(stub.requests("PATCH", ".*/tables/invoices")).hasSize(12);
  }

  @Test
  void aRefusalSlowsTheInstanceDown_untilItsWindowPassed() {
    for (int i = 0; i < 5; i++) {
      first.apply(describeInvoices());
    }
    RetryingWarehouse retrying =
        new RetryingWarehouse(second, 4, Duration.ofMillis(5), new RetryingWarehouse.Observer() {});

    retrying.apply(describeInvoices());

    assertThat(quotas.rejections())
        .containsExactly(java.util.Map.entry(Quota.TABLE_METADATA_UPDATES, 1));
    assertThat(retrying.retries())
        .as("the gate waited out the window before the retry instead of hammering")
        .isEqualTo(1);
  }

  @Test
  void twoInstancesOverTheLimitTogether_getRateLimitExceeded_andRetryThroughTheClient() {
    for (int i = 0; i < 5; i++) {
      first.apply(describeInvoices());
    }
    RetryingWarehouse retrying =
        new RetryingWarehouse(
            second,
            4,
            Duration.ofMillis(5),
            new RetryingWarehouse.Observer() {
              @Override
              public void retry(String operation) {
                // BigQuery's window passes while the retry backs off.
                now.addAndGet(WINDOW.toNanos());
              }
            });

    retrying.apply(describeInvoices());

    assertThat(quotas.rejections())
        .containsExactly(java.util.Map.entry(Quota.TABLE_METADATA_UPDATES, 1));
    assertThat(retrying.retries()).isEqualTo(1);
    assertThat(stub.requests("PATCH", ".*/tables/invoices")).hasSize(7);
  }
}
