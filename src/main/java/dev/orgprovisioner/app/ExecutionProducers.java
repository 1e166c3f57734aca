package dev.orgprovisioner.app;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.ExecutionSettings;
import dev.orgprovisioner.execution.JobExecution;
import dev.orgprovisioner.execution.OutboxRelay;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.EventPublisher;
import dev.orgprovisioner.execution.port.JobLogContext;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.Tracing;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.ledger.FirestoreQuotaBuckets;
import dev.orgprovisioner.ledger.FirestoreRollouts;
import dev.orgprovisioner.ledger.LedgerStore;
import dev.orgprovisioner.provisioning.DriftChecker;
import dev.orgprovisioner.provisioning.ProvisioningJobs;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.RolloutDriver;
import dev.orgprovisioner.provisioning.WarehouseAuditTrail;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Random;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Builds the control plane: Firestore ledger, intake, worker pool, outbox relay. */
@Singleton
public class ExecutionProducers {

  private static final Logger LOG = Logger.getLogger(ExecutionProducers.class);

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  @Named("instance-id")
  String instanceId(ExecutionConfig config) {
    return config
        .instanceId()
        .orElseGet(
            () -> {
              String host;
              try {
                host = InetAddress.getLocalHost().getHostName();
              } catch (java.io.IOException e) {
                host = "worker";
              }
              return host + "-" + UUID.randomUUID().toString().substring(0, 8);
            });
  }

  @Produces
  @Singleton
  Firestore firestore(LedgerConfig config) {
    FirestoreOptions.Builder builder =
        FirestoreOptions.newBuilder()
            .setProjectId(config.projectId())
            .setDatabaseId(config.databaseId());
    // With the emulator host set, the client supplies emulator credentials itself; adding
    // NoCredentials would make it dial the production endpoint (see docs/stack-facts.md).
    config.emulatorHost().ifPresent(builder::setEmulatorHost);
    LOG.infof(
        "Ledger: Firestore %s", config.emulatorHost().map(h -> "emulator at " + h).orElse("(GCP)"));
    return builder.build().getService();
  }

  void closeFirestore(@Disposes Firestore firestore) throws Exception {
    firestore.close();
  }

  @Produces
  @Singleton
  Ledger ledger(Firestore firestore, LedgerConfig config) {
    return new FirestoreLedger(firestore, ledgerSettings(config));
  }

  /** The ledger's settings from configuration. */
  public static dev.orgprovisioner.ledger.LedgerSettings ledgerSettings(LedgerConfig config) {
    return new dev.orgprovisioner.ledger.LedgerSettings(
        config.collectionPrefix(),
        config.keyTtl(),
        config.leaseDuration(),
        config.transactionAttempts(),
        config.callTimeout(),
        config.jobRetention(),
        config.outboxRetention());
  }

  @Produces
  @Singleton
  CommandDecoder decoder() {
    return CommandDecoder.fromClasspath(
        Thread.currentThread().getContextClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  @Produces
  @Singleton
  EventFactory events(ProvisionerConfig config, Tracing tracing) {
    return new EventFactory("//org-provisioner/" + config.env().id(), tracing);
  }

  /** Events sourced from this deployment: {@code //org-provisioner/<env>}. */
  public static EventFactory eventFactory(ProvisionerConfig config) {
    return new EventFactory("//org-provisioner/" + config.env().id());
  }

  @Produces
  @Singleton
  OutboxRelay relay(Ledger ledger, EventPublisher publisher) {
    return new OutboxRelay(ledger, publisher);
  }

  @Produces
  @Singleton
  WarehouseAuditTrail auditTrail(ProvisioningService provisioning, RowSpool spool, Clock clock) {
    // Durable: rows go to the Firestore spool; SpoolProducers' drainer writes them to the
    // warehouse.
    return new WarehouseAuditTrail(spool, provisioning.centralDataset(), clock);
  }

  void closeAudit(@Disposes WarehouseAuditTrail audit) {
    audit.close();
  }

  /** The pool's settings from configuration. */
  public static ExecutionSettings executionSettings(ExecutionConfig config) {
    return new ExecutionSettings(
        config.workers(),
        config.maxAttempts(),
        config.backoffBase(),
        config.backoffMax(),
        config.sweepInterval(),
        config.heartbeatInterval(),
        config.shutdownGrace(),
        config.leaseMargin(),
        config.maxRunTime());
  }

  @Produces
  @Singleton
  WorkerPool workers(
      Ledger ledger,
      RolloutRecords rollouts,
      ProvisioningService provisioning,
      EventFactory events,
      OutboxRelay relay,
      WarehouseAuditTrail audit,
      ExecutionConfig config,
      @Named("instance-id") String owner,
      Clock clock,
      Metrics metrics,
      JobLogContext logContext,
      Tracing tracing) {
    WorkerPool pool =
        newWorkerPool(
            ledger,
            rollouts,
            provisioning,
            events,
            relay,
            audit,
            config,
            owner,
            clock,
            metrics,
            logContext,
            tracing);
    pool.start();
    LOG.infof("Worker pool %s started with %d workers", owner, config.workers());
    return pool;
  }

  /**
   * The worker pool, not started: its workers run each job as {@link #jobRunner} builds it, each
   * run traced by {@code tracing} ({@link Tracing#NONE}: none).
   */
  public static WorkerPool newWorkerPool(
      Ledger ledger,
      RolloutRecords rollouts,
      ProvisioningService provisioning,
      EventFactory events,
      OutboxRelay relay,
      AuditTrail audit,
      ExecutionConfig config,
      String owner,
      Clock clock,
      Metrics metrics,
      JobLogContext logContext,
      Tracing tracing) {
    ExecutionSettings settings = executionSettings(config);
    ProvisioningJobs runner = jobRunner(provisioning, ledger, rollouts, events, clock, config);
    JobExecution execution =
        new JobExecution(
            new JobExecution.Parts(
                ledger,
                runner,
                events,
                relay,
                audit,
                metrics,
                logContext,
                clock,
                JobExecution.Sleeper.REAL,
                new Random(),
                tracing),
            settings);
    return new WorkerPool(ledger, execution, relay, settings, owner, clock);
  }

  /** What the workers run for each job: bootstrap, onboarding, sync and the drift check. */
  private static ProvisioningJobs jobRunner(
      ProvisioningService provisioning,
      Ledger ledger,
      RolloutRecords rollouts,
      EventFactory events,
      Clock clock,
      ExecutionConfig config) {
    return new ProvisioningJobs(
        provisioning,
        clock,
        new DriftChecker(
            provisioning,
            ledger,
            events,
            clock,
            new DriftChecker.Settings(config.driftMaxRepairs(), config.driftChunkSize()),
            rollouts),
        ledger,
        new RolloutDriver(
            rollouts,
            ledger,
            ledger,
            provisioning::activeOrgs,
            provisioning.catalog().org().version(),
            config.rolloutPollInterval(),
            clock));
  }

  /** The fleet's shared quota windows, in the ledger (see warehouse.bigquery.fleet-quotas). */
  @Produces
  @Singleton
  QuotaBuckets fleetQuotas(Firestore firestore, LedgerConfig config) {
    return new FirestoreQuotaBuckets(new LedgerStore(firestore, ledgerSettings(config)));
  }

  @Produces
  @Singleton
  RolloutRecords rollouts(Firestore firestore, LedgerConfig config) {
    return new FirestoreRollouts(new LedgerStore(firestore, ledgerSettings(config)));
  }

  void stopWorkers(@Disposes WorkerPool pool) {
    pool.close();
  }
}
