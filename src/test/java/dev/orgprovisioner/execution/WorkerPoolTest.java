package dev.orgprovisioner.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.PlanApplier;
import dev.orgprovisioner.provisioning.ProvisioningJobs;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.WarehouseAuditTrail;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.FaultyWarehouse;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PoolFixtures;
import dev.orgprovisioner.testing.RecordingEventPublisher;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs run by the worker pool against a real DuckDB warehouse and the in-memory ledger (held to the
 * Firestore ledger's behaviour by LedgerContractTest; the pool on Firestore itself is in the fault
 * tests, the simulation on Firestore and the application tests).
 */
class WorkerPoolTest {

  private static final Catalog CATALOG = CatalogFixtures.project();
  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          WorkerPoolTest.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
  private static ExecutorService tablePool;

  private final Clock clock = Clock.systemUTC();
  private DuckDbWarehouse duck;
  private FaultyWarehouse warehouse;
  private InMemoryLedger ledger;
  private RecordingEventPublisher publisher;
  private ProvisioningService service;
  private WorkerPool pool;
  private WarehouseAuditTrail audit;

  @BeforeAll
  static void connect() {
    tablePool = Executors.newFixedThreadPool(8);
  }

  @AfterAll
  static void disconnect() {
    tablePool.shutdownNow();
  }

  @BeforeEach
  void start() {
    duck = new DuckDbWarehouse(":memory:");
    warehouse = new FaultyWarehouse(duck);
    ledger = LedgerFixtures.inMemory(Duration.ofSeconds(30));
    publisher = new RecordingEventPublisher();
    RetryingWarehouse retrying = new RetryingWarehouse(warehouse, 4, Duration.ofMillis(5));
    service =
        new ProvisioningService(
            CATALOG,
            retrying,
            new ProvisioningSettings(Environment.LOCAL, "EU"),
            new PlanApplier(retrying, tablePool, 8));
    audit = new WarehouseAuditTrail(duck, "organizations", clock, 1000, Duration.ofMinutes(10));
    pool = newPool("worker-1");
    pool.start();
  }

  private WorkerPool newPool(String owner) {
    return PoolFixtures.pool(
        ledger,
        new ProvisioningJobs(service, clock),
        new OutboxRelay(ledger, publisher),
        audit,
        PoolFixtures.settings(4, 8),
        owner,
        clock);
  }

  @AfterEach
  void stop() {
    pool.close();
    audit.close();
    duck.close();
  }

  private CommandEnvelope onboard(String org, String id) {
    return ((DecodeResult.Accepted)
            DECODER.decode(
                MalformedCommands.onboardAttributes(id),
                MalformedCommands.json(MalformedCommands.onboardData(org)),
                org))
        .envelope();
  }

  private Job submit(CommandEnvelope cmd, Instant at) {
    Job job = LedgerFixtures.accept(ledger, cmd, at);
    pool.dispatch(job);
    return job;
  }

  private Job awaitTerminal(String jobId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ledger.job(jobId).orElseThrow().state().isTerminal());
    return ledger.job(jobId).orElseThrow();
  }

  private long rows(String table, String org) {
    return duck.selectRows("organizations", table, Map.of("org_slug", org), 100).size();
  }

  @Test
  void onboardJob_provisionsDatasetViewsAndOneRowPerCentralTable() {
    Job job = awaitTerminal(submit(onboard("acme", "c1"), clock.instant()).id());

    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(service.orgStatus(OrgSlug.parse("acme")).status()).isEqualTo(SyncStatus.SYNCED);
    assertThat(duck.freshSnapshot("acme_local").orElseThrow().tables()).hasSize(19);
    for (String view :
        List.of(
            "x_org_hierarchy",
            "x_pipeline_exec_logs",
            "x_all_notifications",
            "x_notification_stats")) {
      duck.selectRows("acme_local", view, Map.of(), 10);
    }
    assertThat(rows("org_profiles", "acme")).isEqualTo(1);
    assertThat(rows("org_subscriptions", "acme")).isEqualTo(1);
    assertThat(rows("org_usage_quotas", "acme")).isEqualTo(1);
    assertThat(rows("org_hierarchy_levels", "acme")).isEqualTo(3);
    assertThat(rows("org_audit_logs", "acme")).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> publisher.events("org.onboarded").size() == 1);
    OutboxEvent event = publisher.events("org.onboarded").get(0);
    assertThat(event.attributes())
        .containsEntry("correlation-id", "c1")
        .containsEntry("ce-subject", "acme");
    assertThat(event.data()).contains("\"already_existed\":false").contains("\"tables_created\"");
    assertThat(EventSchemas.violations("org.onboarded", event.data())).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> ledger.unpublished(10).isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              audit.flush();
              return rows("org_meta_pipeline_runs", "acme") == 1;
            });
    assertThat(rows("org_meta_step_logs", "acme")).isEqualTo(2);
    assertThat(
            duck.selectRows(
                "organizations", "org_meta_state_transitions", Map.of("org_slug", "acme"), 10))
        .extracting(r -> r.get("from_state") + "->" + r.get("to_state"))
        .containsExactlyInAnyOrder("QUEUED->RUNNING", "RUNNING->SUCCEEDED");
    assertThat(rows("org_idempotency_keys", "acme")).isEqualTo(1);
    assertThat(rows("org_pipeline_execution_queue", "acme")).isEqualTo(1);
  }

  @Test
  void workerKilledMidJob_anotherWorkerFinishesItWithoutDuplicateRows() {
    // A worker leased the job a minute ago, did the dataset step and then died; no other worker
    // was running meanwhile.
    pool.close();
    Instant crashTime = clock.instant().minusSeconds(60);
    Job job =
        LedgerFixtures.acceptAndLease(ledger, onboard("crashy", "c2"), "dead-worker", crashTime);
    service.bootstrap(false);
    service.apply(service.planOrg(OrgSlug.parse("crashy")), false);
    ledger.recordStep(job.lease(), "provision-dataset", crashTime);
    pool = newPool("worker-2");
    pool.start();

    Job done = awaitTerminal(job.id());

    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.leaseOwner()).isNull();
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(rows("org_profiles", "crashy")).isEqualTo(1);
    assertThat(rows("org_hierarchy_levels", "crashy")).isEqualTo(3);
  }

  @Test
  void permanentWarehouseError_failsAtOnceWithAClearEvent() {
    warehouse.failPermanentlyOn(
        s ->
            s instanceof PlanStep.CreateOrReplaceView v
                && v.view().name().equals("x_all_notifications"));

    Job job = awaitTerminal(submit(onboard("broken", "p1"), clock.instant()).id());

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.attempts()).isEqualTo(1);
    assertThat(job.lastError().transientFailure()).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> publisher.events("org.onboarding.failed").size() == 1);
    String data = publisher.events("org.onboarding.failed").get(0).data();
    assertThat(data)
        .contains("\"error_kind\":\"permanent\"")
        .contains("injected permanent failure")
        .contains("\"missing_views\":[\"x_all_notifications\"");
    assertThat(EventSchemas.violations("org.onboarding.failed", data)).isEmpty();
  }

  @Test
  void twoOnboardCommandsForOneOrg_runOneAfterTheOther() {
    Job first = submit(onboard("serial", "s1"), clock.instant());
    Job second = submit(onboard("serial", "s2"), clock.instant());

    // Both wait in the queue: a job is leased only by a worker about to run it.
    assertThat(first.state()).isEqualTo(JobState.QUEUED);
    assertThat(second.state()).isEqualTo(JobState.QUEUED);
    Job a = awaitTerminal(first.id());
    Job b = awaitTerminal(second.id());

    assertThat(a.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(b.state()).isEqualTo(JobState.SUCCEEDED);
    // The second was claimed only after the first released the org.
    assertThat(b.attempts()).isEqualTo(1);
    assertThat(b.updatedAt()).isAfterOrEqualTo(a.updatedAt());
    assertThat(rows("org_profiles", "serial")).isEqualTo(1);
  }

  @Test
  void syncDryRun_answersWithThePlanAndChangesNothing() {
    service.bootstrap(false);
    // Only an onboarded org can be synced: its profile, without a dataset yet.
    duck.upsertRows(
        "organizations",
        "org_profiles",
        List.of("org_slug"),
        List.of(
            Map.of(
                "org_slug", "dry_org",
                "company_name", "Dry Inc",
                "admin_email", "admin@dry.example",
                "org_dataset_id", "dry_org_local",
                "status", "ACTIVE",
                "created_at", Instant.now())));
    CommandEnvelope sync =
        ((DecodeResult.Accepted)
                DECODER.decode(
                    Map.of(
                        "ce-specversion", "1.0",
                        "ce-type", "org.sync.requested",
                        "ce-id", "dry-1",
                        "ce-source", "t"),
                    "{\"org_slug\":\"dry_org\",\"options\":{\"dry_run\":true}}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "dry_org"))
            .envelope();

    Job job = awaitTerminal(submit(sync, clock.instant()).id());

    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(duck.freshSnapshot("dry_org_local")).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.events("org.synced").size() == 1);
    String data = publisher.events("org.synced").get(0).data();
    assertThat(data).contains("\"dry_run\":true").contains("create dataset dry_org_local");
    assertThat(EventSchemas.violations("org.synced", data)).isEmpty();
  }

  @Test
  void onboardingAnExistingOrgWithOtherProfile_failsWithOrgExistsAndChangesNothing() {
    awaitTerminal(submit(onboard("taken", "t1"), clock.instant()).id());
    Map<String, Object> other = MalformedCommands.onboardData("taken");
    other.put("company_name", "Someone Else");
    CommandEnvelope second =
        ((DecodeResult.Accepted)
                DECODER.decode(
                    MalformedCommands.onboardAttributes("t2"),
                    MalformedCommands.json(other),
                    "taken"))
            .envelope();

    Job job = awaitTerminal(submit(second, clock.instant()).id());

    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.lastError().code()).isEqualTo("ORG_EXISTS");
    assertThat(duck.selectRows("organizations", "org_profiles", Map.of("org_slug", "taken"), 5))
        .singleElement()
        .satisfies(r -> assertThat(r.get("company_name")).isEqualTo("Acme Inc"));
  }

  @Test
  void onboardingAgainWithTheSameProfile_convergesAndReportsAlreadyExisted() {
    awaitTerminal(submit(onboard("again", "a1"), clock.instant()).id());

    Job job = awaitTerminal(submit(onboard("again", "a2"), clock.instant()).id());

    assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> publisher.events("org.onboarded").size() == 2);
    assertThat(publisher.events("org.onboarded"))
        .anySatisfy(e -> assertThat(e.data()).contains("\"already_existed\":true"));
    assertThat(rows("org_profiles", "again")).isEqualTo(1);
  }
}
