package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxRelay;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.SpooledRow;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.ledger.FirestoreNotificationState;
import dev.orgprovisioner.ledger.FirestoreRowSpool;
import dev.orgprovisioner.notify.Channel;
import dev.orgprovisioner.notify.DeliveryStatus;
import dev.orgprovisioner.notify.NotificationState;
import dev.orgprovisioner.notify.Notifier;
import dev.orgprovisioner.notify.NotifyEvent;
import dev.orgprovisioner.notify.ReferenceSecretResolver;
import dev.orgprovisioner.notify.RetryPolicy;
import dev.orgprovisioner.notify.http.SlackSender;
import dev.orgprovisioner.notify.warehouse.WarehouseNotificationDirectory;
import dev.orgprovisioner.notify.warehouse.WarehouseNotificationHistory;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.FaultyWarehouse;
import dev.orgprovisioner.testing.HttpReceiver;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PoolFixtures;
import dev.orgprovisioner.testing.RecordingEventPublisher;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Audit and notification history rows go through the Firestore spool: a warehouse outage delays
 * them, a crashed drainer loses none, and nothing is ever written twice.
 */
class DurableAuditTrailTest {

  private static final Catalog CATALOG = CatalogFixtures.project();
  private static final String CENTRAL = "organizations";
  private static final List<String> AUDIT_TABLES =
      List.of(
          "org_meta_pipeline_runs",
          "org_meta_step_logs",
          "org_meta_state_transitions",
          "org_idempotency_keys",
          "org_pipeline_execution_queue");
  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          DurableAuditTrailTest.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Firestore db;
  private static ExecutorService tablePool;

  private final Clock clock = Clock.systemUTC();
  private final AtomicLong backlog = new AtomicLong(-1);
  private final Metrics metrics =
      new Metrics() {
        @Override
        public void auditBacklog(long rows) {
          backlog.set(rows);
        }
      };
  private String prefix;
  private DuckDbWarehouse duck;
  private FaultyWarehouse rowsWarehouse;
  private FirestoreLedger ledger;
  private ProvisioningService service;
  private RowSpool spool;
  private HttpReceiver receiver;

  @BeforeAll
  static void connect() {
    db = SharedEmulators.firestoreClient();
    tablePool = Executors.newFixedThreadPool(8);
  }

  @AfterAll
  static void disconnect() throws Exception {
    tablePool.shutdownNow();
    db.close();
  }

  @BeforeEach
  void start() {
    duck = new DuckDbWarehouse(":memory:");
    // Only the audit and history writes go through this one: jobs keep their warehouse.
    rowsWarehouse = new FaultyWarehouse(duck);
    ledger = SharedEmulators.freshLedger(db, "da", Duration.ofSeconds(30));
    RetryingWarehouse jobs = new RetryingWarehouse(duck, 4, Duration.ofMillis(5));
    service =
        new ProvisioningService(
            CATALOG,
            jobs,
            new ProvisioningSettings(Environment.LOCAL, "EU"),
            new PlanApplier(jobs, tablePool, 8));
    service.bootstrap(false);
    prefix = "sp" + UUID.randomUUID().toString().substring(0, 8) + "_";
    spool = newSpool();
    receiver = new HttpReceiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
    duck.close();
  }

  private RowSpool newSpool() {
    return new FirestoreRowSpool(db, prefix, Duration.ofSeconds(30), clock);
  }

  private RowSpoolDrainer drainer(RowSpool on) {
    return new RowSpoolDrainer(
        on,
        new RetryingWarehouse(rowsWarehouse, 2, Duration.ofMillis(1)),
        metrics,
        clock,
        new RowSpoolDrainer.Settings(50, Duration.ofHours(1), Duration.ofHours(1)));
  }

  private WorkerPool pool(WarehouseAuditTrail audit) {
    return PoolFixtures.pool(
        ledger,
        new ProvisioningJobs(service, clock),
        new OutboxRelay(ledger, new RecordingEventPublisher()),
        audit,
        PoolFixtures.settings(4, 8),
        "worker-1",
        clock);
  }

  private Notifier notifier(NotificationState state) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return new Notifier(
        new WarehouseNotificationDirectory(duck, CENTRAL),
        new WarehouseNotificationHistory(spool, CENTRAL),
        state,
        new ReferenceSecretResolver(
            name -> Optional.ofNullable(name.equals("OPS_SLACK") ? receiver.url("/ops") : null)),
        List.of(new SlackSender(http, Duration.ofSeconds(5), clock)),
        d -> {},
        clock,
        new Notifier.Settings(
            new RetryPolicy(3, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50)),
            java.time.Duration.ZERO,
            List.of(Channel.slack("ops-slack", "", "Operations Slack", "env:OPS_SLACK"))));
  }

  private FirestoreNotificationState notificationState() {
    return new FirestoreNotificationState(
        db, prefix, java.time.Duration.ofDays(7), java.time.Duration.ofSeconds(30));
  }

  private static String unique(String p) {
    return p + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  private Job onboard(WorkerPool pool, String org) {
    CommandEnvelope cmd =
        ((DecodeResult.Accepted)
                DECODER.decode(
                    MalformedCommands.onboardAttributes(unique("c")),
                    MalformedCommands.json(MalformedCommands.onboardData(org)),
                    org))
            .envelope();
    Job job = LedgerFixtures.accept(ledger, cmd, clock.instant());
    pool.dispatch(job);
    return job;
  }

  private static NotifyEvent failure(String org) throws Exception {
    String json = "{\"org_slug\":\"" + org + "\",\"error_code\":\"X\",\"error\":\"boom\"}";
    @SuppressWarnings("unchecked")
    Map<String, Object> data = JSON.readValue(json, Map.class);
    return new NotifyEvent(
        UUID.randomUUID().toString(),
        "org.sync.failed",
        "//org-provisioner/test",
        org,
        Instant.now(),
        data,
        json);
  }

  private List<Map<String, Object>> rows(String table, String org) {
    return duck.selectRows(CENTRAL, table, Map.of("org_slug", org), 1000);
  }

  private long auditRows(List<String> orgs) {
    long n = 0;
    for (String org : orgs) {
      for (String table : AUDIT_TABLES) {
        n += rows(table, org).size();
      }
    }
    return n;
  }

  @Test
  void warehouseOutage_delaysAuditAndHistoryRows_thenWritesEveryOneExactlyOnce() throws Exception {
    WarehouseAuditTrail audit = new WarehouseAuditTrail(spool, CENTRAL, clock);
    RowSpoolDrainer drainer = drainer(spool);
    rowsWarehouse.transientRate(1.0);
    WorkerPool pool = pool(audit);
    pool.start();
    List<String> orgs = List.of(unique("out_a"), unique("out_b"), unique("out_c"));
    List<Job> jobs = new ArrayList<>();
    try {
      orgs.forEach(org -> jobs.add(onboard(pool, org)));
      for (Job job : jobs) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> ledger.job(job.id()).orElseThrow().state() == JobState.SUCCEEDED);
      }
      Notifier notifier = notifier(notificationState());
      for (String org : orgs) {
        assertThat(notifier.handle(failure(org)).count(DeliveryStatus.SENT)).isEqualTo(1);
      }
      // The pool records the run summary after the terminal state: wait for all 7 rows per job.
      long expected = orgs.size() * 7L + orgs.size() * 2L;
      await().atMost(Duration.ofSeconds(30)).until(() -> spool.count() == expected);

      RowSpoolDrainer.Result during = drainer.drain();

      assertThat(during.complete()).isFalse();
      assertThat(during.written()).isZero();
      assertThat(backlog.get()).isEqualTo(expected);
      assertThat(auditRows(orgs)).isZero();
      orgs.forEach(org -> assertThat(rows(WarehouseNotificationHistory.TABLE, org)).isEmpty());

      rowsWarehouse.transientRate(0);
      RowSpoolDrainer.Result after = drainer.drain();

      assertThat(after.complete()).isTrue();
      assertThat(after.written()).isEqualTo((int) expected);
      assertThat(spool.count()).isZero();
      assertThat(backlog.get()).isZero();
      for (String org : orgs) {
        assertThat(rows("org_meta_pipeline_runs", org)).hasSize(1);
        assertThat(rows("org_meta_step_logs", org)).hasSize(2);
        assertThat(rows("org_meta_state_transitions", org))
            .extracting(r -> r.get("from_state") + "->" + r.get("to_state"))
            .containsExactlyInAnyOrder("QUEUED->RUNNING", "RUNNING->SUCCEEDED");
        assertThat(rows("org_idempotency_keys", org)).hasSize(1);
        assertThat(rows("org_pipeline_execution_queue", org)).hasSize(1);
        assertThat(rows(WarehouseNotificationHistory.TABLE, org))
            .extracting(r -> r.get("status"))
            .containsExactlyInAnyOrder("QUEUED", "SENT");
      }
      assertThat(drainer.drain().written()).isZero();
      assertThat(auditRows(orgs)).isEqualTo(orgs.size() * 7L);
    } finally {
      pool.close();
    }
  }

  @Test
  void drainerCrashingAfterTheWriteBeforeTheDelete_losesNothing_andANewOneWritesNoDuplicate() {
    WarehouseAuditTrail audit = new WarehouseAuditTrail(spool, CENTRAL, clock);
    WorkerPool pool = pool(audit);
    pool.start();
    String org = unique("crash");
    try {
      Job job = onboard(pool, org);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> ledger.job(job.id()).orElseThrow().state() == JobState.SUCCEEDED);
      await().atMost(Duration.ofSeconds(30)).until(() -> spool.count() == 7);
    } finally {
      pool.close();
    }
    // The first drainer's process dies between the warehouse write and the spool delete.
    RowSpool dying =
        new ForwardingSpool(spool) {
          @Override
          public void delete(Collection<SpooledRow> rows) {
            throw new IllegalStateException("process killed");
          }
        };
    try {
      drainer(dying).drain();
    } catch (IllegalStateException expected) {
      // the crash
    }
    // It died after writing its first table's rows: those are in the warehouse and still spooled.
    assertThat(auditRows(List.of(org))).isBetween(1L, 6L);

    RowSpool reopened = newSpool();
    assertThat(reopened.count()).isEqualTo(7);
    RowSpoolDrainer.Result restarted = drainer(reopened).drain();

    assertThat(restarted.written()).isEqualTo(7);
    assertThat(reopened.count()).isZero();
    assertThat(auditRows(List.of(org))).isEqualTo(7);
    assertThat(rows("org_meta_step_logs", org)).hasSize(2);
  }

  @Test
  void redeliveredNotification_afterACrashBeforeItWasMarkedHandled_addsNoHistoryRow()
      throws Exception {
    String org = unique("redeliver");
    NotifyEvent event = failure(org);
    AtomicBoolean crashOnMark = new AtomicBoolean(true);
    FirestoreNotificationState real = notificationState();
    NotificationState crashing =
        new NotificationState() {
          @Override
          public CooldownVerdict acquireCooldown(
              String o, String rule, String eventId, Instant now, Duration cooldown) {
            return real.acquireCooldown(o, rule, eventId, now, cooldown);
          }

          @Override
          public Optional<DeliveryStatus> handled(String id) {
            return real.handled(id);
          }

          @Override
          public void markHandled(String id, DeliveryStatus status, Instant now) {
            if (crashOnMark.getAndSet(false)) {
              throw new IllegalStateException("process killed before the marker");
            }
            real.markHandled(id, status, now);
          }
        };
    Notifier notifier = notifier(crashing);

    try {
      notifier.handle(event);
    } catch (IllegalStateException expected) {
      // the event was not acked: Pub/Sub delivers it again
    }
    Notifier.Outcome second = notifier.handle(event);
    Notifier.Outcome third = notifier.handle(event);
    drainer(spool).drain();

    assertThat(second.count(DeliveryStatus.SENT)).isEqualTo(1);
    assertThat(third.duplicates()).isEqualTo(1);
    assertThat(receiver.requests("/ops")).hasSize(2); // at-least-once: sent before the crash too
    assertThat(rows(WarehouseNotificationHistory.TABLE, org))
        .extracting(r -> r.get("status"))
        .containsExactlyInAnyOrder("QUEUED", "SENT");
  }

  /** A spool that forwards every call; tests override one to inject a failure. */
  private static class ForwardingSpool implements RowSpool {
    private final RowSpool delegate;

    ForwardingSpool(RowSpool delegate) {
      this.delegate = delegate;
    }

    @Override
    public void append(List<SpooledRow> rows) {
      delegate.append(rows);
    }

    @Override
    public List<SpooledRow> pending(int limit, boolean parked) {
      return delegate.pending(limit, parked);
    }

    @Override
    public void park(Collection<SpooledRow> rows, String reason) {
      delegate.park(rows, reason);
    }

    @Override
    public void delete(Collection<SpooledRow> rows) {
      delegate.delete(rows);
    }

    @Override
    public long count() {
      return delegate.count();
    }
  }
}
