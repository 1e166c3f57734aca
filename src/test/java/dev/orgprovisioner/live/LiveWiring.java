package dev.orgprovisioner.live;

import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import dev.orgprovisioner.app.AuditConfig;
import dev.orgprovisioner.app.CoreProducers;
import dev.orgprovisioner.app.ExecutionConfig;
import dev.orgprovisioner.app.ExecutionProducers;
import dev.orgprovisioner.app.LedgerConfig;
import dev.orgprovisioner.app.ProvisionerConfig;
import dev.orgprovisioner.app.WarehouseConfig;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.ScopeCatalog;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.OutboxRelay;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.EventPublisher;
import dev.orgprovisioner.execution.port.JobLogContext;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.WarehouseAuditTrail;
import dev.orgprovisioner.testing.AuditTrails;
import dev.orgprovisioner.testing.ConfigDefaults;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.bigquery.BigQueryWarehouse;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The worker for one live run, minus Pub/Sub and Firestore: the application's own factories ({@link
 * CoreProducers}, {@link ExecutionProducers}) build the warehouse stack, the use cases, the worker
 * pool and the audit trail from its configuration mappings, read as the deployed worker reads them
 * (defaults, then environment variables) without Quarkus. What differs: the warehouse is BigQuery
 * in the run's project, the central dataset is the run's own, the control state is the in-memory
 * ledger, and terminal events go to {@code events} instead of Pub/Sub.
 */
final class LiveWiring implements AutoCloseable {

  private final BigQueryWarehouse engine;
  private final ExecutorService tablePool;
  private final WarehouseAuditTrail audit;
  private final WorkerPool pool;
  private final Submission submission;
  private final CommandDecoder decoder;

  private LiveWiring(
      BigQueryWarehouse engine,
      ExecutorService tablePool,
      WarehouseAuditTrail audit,
      WorkerPool pool,
      Submission submission) {
    this.engine = engine;
    this.tablePool = tablePool;
    this.audit = audit;
    this.pool = pool;
    this.submission = submission;
    this.decoder =
        CommandDecoder.fromClasspath(
            LiveWiring.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /**
   * Wires and starts the worker; {@code observer} sees every warehouse call attempt and retry,
   * {@code metrics} the jobs' outcomes and re-queued attempts.
   */
  static LiveWiring start(
      LiveTarget target,
      RetryingWarehouse.Observer observer,
      Metrics metrics,
      EventPublisher events) {
    SmallRyeConfig config = config(target);
    WarehouseConfig warehouseConfig = config.getConfigMapping(WarehouseConfig.class);
    ProvisionerConfig provisionerConfig = config.getConfigMapping(ProvisionerConfig.class);
    ExecutionConfig executionConfig = config.getConfigMapping(ExecutionConfig.class);
    AuditConfig auditConfig = config.getConfigMapping(AuditConfig.class);
    Clock clock = Clock.systemUTC();
    Catalog catalog =
        withCentralDataset(CoreProducers.loadCatalog(provisionerConfig), target.centralDataset());
    BigQueryWarehouse engine = CoreProducers.bigQuery(warehouseConfig);
    Warehouse warehouse = CoreProducers.guarded(engine, warehouseConfig, observer);
    ExecutorService tablePool = CoreProducers.newTablePool(executionConfig.tableParallelism());
    ProvisioningService service =
        CoreProducers.newProvisioning(
            catalog, warehouse, provisionerConfig, warehouseConfig, executionConfig, tablePool);
    InMemoryLedger ledger =
        new InMemoryLedger(
            ExecutionProducers.ledgerSettings(config.getConfigMapping(LedgerConfig.class)));
    EventFactory eventFactory = ExecutionProducers.eventFactory(provisionerConfig);
    // The worker spools audit rows durably and drains them every audit.drain-interval; here the
    // spool is in memory and the check also drains it at the end of each step.
    WarehouseAuditTrail audit =
        AuditTrails.inMemory(warehouse, service.centralDataset(), clock, auditConfig);
    OutboxRelay relay = new OutboxRelay(ledger, events);
    WorkerPool pool =
        ExecutionProducers.newWorkerPool(
            ledger,
            new dev.orgprovisioner.ledger.memory.InMemoryRollouts(),
            service,
            eventFactory,
            relay,
            audit,
            executionConfig,
            "live-check",
            clock,
            metrics,
            JobLogContext.NONE,
            dev.orgprovisioner.execution.port.Tracing.NONE);
    pool.start();
    Submission submission = new Submission(ledger, eventFactory, clock, pool::dispatch);
    return new LiveWiring(engine, tablePool, audit, pool, submission);
  }

  /** The worker's configuration: its defaults, the environment, then the run's target. */
  static SmallRyeConfig config(LiveTarget target) {
    Map<String, String> overrides = new HashMap<>();
    overrides.put("warehouse.kind", "bigquery");
    overrides.put("warehouse.bigquery.project-id", target.project());
    target.host().ifPresent(h -> overrides.put("warehouse.bigquery.host", h));
    return ConfigDefaults.quarkusConverters(new SmallRyeConfigBuilder())
        .withMapping(WarehouseConfig.class)
        .withMapping(ProvisionerConfig.class)
        .withMapping(ExecutionConfig.class)
        .withMapping(LedgerConfig.class)
        .withMapping(AuditConfig.class)
        .withSources(new EnvConfigSource(target.env(), 300))
        .withSources(new PropertiesConfigSource(overrides, "live-check", 500))
        .build();
  }

  /** The org's dataset, named by the worker's rule in the configured environment. */
  static String orgDataset(LiveTarget target, OrgSlug org) {
    SmallRyeConfig config = config(target);
    return new ProvisioningSettings(
            config.getConfigMapping(ProvisionerConfig.class).env(),
            config.getConfigMapping(WarehouseConfig.class).location())
        .orgDataset(org);
  }

  /** A plain client of the run's project, for what the worker never does: deleting datasets. */
  static BigQuery adminClient(LiveTarget target) {
    BigQueryOptions.Builder options = BigQueryOptions.newBuilder().setProjectId(target.project());
    target.host().ifPresent(h -> options.setHost(h).setCredentials(NoCredentials.getInstance()));
    return options.build().getService();
  }

  private static Catalog withCentralDataset(Catalog catalog, String dataset) {
    ScopeCatalog c = catalog.central();
    return new Catalog(
        new ScopeCatalog(
            c.scope(),
            c.version(),
            dataset,
            c.description(),
            c.labels(),
            c.datasetSettings(),
            c.tables(),
            c.views()),
        catalog.org());
  }

  CommandDecoder decoder() {
    return decoder;
  }

  /** Where commands enter, as from Pub/Sub or REST: claim, then dispatch to the pool. */
  Submission submission() {
    return submission;
  }

  /** Writes the audit rows spooled so far to the warehouse. */
  void flushAudit() {
    audit.flush();
  }

  @Override
  public void close() {
    pool.close();
    audit.close();
    tablePool.shutdownNow();
    engine.close();
  }
}
