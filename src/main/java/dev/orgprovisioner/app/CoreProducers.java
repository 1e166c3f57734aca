package dev.orgprovisioner.app;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.CatalogLoader;
import dev.orgprovisioner.catalog.CatalogSource;
import dev.orgprovisioner.execution.DaemonThreads;
import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.execution.port.Tracing;
import dev.orgprovisioner.ledger.FirestoreDmlSlots;
import dev.orgprovisioner.ledger.LedgerStore;
import dev.orgprovisioner.plan.TenantShards;
import dev.orgprovisioner.provisioning.FencedWarehouse;
import dev.orgprovisioner.provisioning.OffboardingSettings;
import dev.orgprovisioner.provisioning.PlanApplier;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.TenantViewSettings;
import dev.orgprovisioner.warehouse.BucketGate;
import dev.orgprovisioner.warehouse.DmlSlotGate;
import dev.orgprovisioner.warehouse.DmlSlots;
import dev.orgprovisioner.warehouse.Quota;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.SplitQuotaBuckets;
import dev.orgprovisioner.warehouse.TracedWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.bigquery.BigQuerySettings;
import dev.orgprovisioner.warehouse.bigquery.BigQueryWarehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Builds the pure domain objects from configuration: catalog, warehouse, use cases. */
@Singleton
public class CoreProducers {

  private static final Logger LOG = Logger.getLogger(CoreProducers.class);

  private AutoCloseable closeable;

  @Produces
  @Singleton
  Catalog catalog(ProvisionerConfig config) {
    return loadCatalog(config);
  }

  /** The catalog at provisioner.catalog-path, or the one packaged in the application. */
  public static Catalog loadCatalog(ProvisionerConfig config) {
    CatalogSource source =
        config
            .catalogPath()
            .map(Path::of)
            .map(
                path -> {
                  if (!Files.isDirectory(path)) {
                    throw new IllegalStateException(
                        "provisioner.catalog-path " + path + " is not a directory");
                  }
                  return CatalogSource.directory(path);
                })
            .orElseGet(
                () ->
                    CatalogSource.classpath(
                        "schemas", Thread.currentThread().getContextClassLoader()));
    Catalog catalog = CatalogLoader.load(source);
    LOG.infof(
        "Catalog loaded from %s: %d central tables, %d org tables, %d org views (version %s)",
        source,
        catalog.central().tables().size(),
        catalog.org().tables().size(),
        catalog.org().views().size(),
        catalog.org().version());
    return catalog;
  }

  @Produces
  @Singleton
  Warehouse warehouse(
      WarehouseConfig config,
      RetryingWarehouse.Observer observer,
      QuotaBuckets fleetQuotas,
      DmlSlots fleetDmlSlots,
      Tracing tracing) {
    WarehouseConfig.Kind kind =
        WarehouseKindGuard.resolve(config.kind(), ConfigUtils.getProfiles());
    WarehouseConfig.BigQuery bq = config.bigquery();
    Warehouse engine =
        kind == WarehouseConfig.Kind.BIGQUERY
            ? bigQuery(
                config,
                bq.fleetQuotas()
                    ? BucketGate.of(new SplitQuotaBuckets(fleetQuotas, bq.fleetInstances()))
                    : BucketGate.local(),
                bq.fleetQuotas() && DmlSlots.neededFor(bq.fleetInstances())
                    ? new DmlSlotGate(fleetDmlSlots, DmlSlots.PER_TABLE, Clock.systemUTC())
                    : DmlSlotGate.NONE)
            : duckDb(config);
    closeable = (AutoCloseable) engine;
    // Outside the retries: one span per call of a use case, however many attempts it took.
    return new TracedWarehouse(guarded(engine, config, observer), tracing);
  }

  /** The engine as the use cases see it: each call fenced by the job's lease, then retried. */
  public static Warehouse guarded(
      Warehouse engine, WarehouseConfig config, RetryingWarehouse.Observer observer) {
    // The fence sits under the retries: every attempt of a call checks the job's lease.
    return new RetryingWarehouse(
        new FencedWarehouse(engine, Clock.systemUTC()),
        config.retryMaxAttempts(),
        config.retryInitialBackoff(),
        observer);
  }

  /** The BigQuery engine as configured, pacing itself alone (tools and checks, not the worker). */
  public static BigQueryWarehouse bigQuery(WarehouseConfig config) {
    return bigQuery(config, BucketGate.local());
  }

  /**
   * The BigQuery engine as configured: Application Default Credentials unless a host is set; its
   * metadata calls paced by {@code gate}.
   */
  public static BigQueryWarehouse bigQuery(WarehouseConfig config, QuotaGate gate) {
    return bigQuery(config, gate, DmlSlotGate.NONE);
  }

  /** As {@link #bigQuery(WarehouseConfig, QuotaGate)}, each MERGE holding a fleet DML slot. */
  static BigQueryWarehouse bigQuery(WarehouseConfig config, QuotaGate gate, DmlSlotGate dmlSlots) {
    WarehouseConfig.BigQuery bq = config.bigquery();
    String project =
        bq.projectId()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "warehouse.kind=bigquery needs warehouse.bigquery.project-id"));
    LOG.infof(
        "Warehouse: BigQuery project %s, location %s%s",
        project, config.location(), bq.host().map(h -> " via " + h).orElse(""));
    return BigQueryWarehouse.create(
        new BigQuerySettings(
            project,
            config.location(),
            bq.host(),
            bq.maximumBytesBilled(),
            bq.parallelism(),
            bq.callTimeout(),
            bq.queryTimeout(),
            Quota.concurrentRequestsShare(bq.fleetInstances())),
        gate,
        dmlSlots);
  }

  /** The fleet's DML slots per table, in the ledger (used beyond DmlSlots.PER_TABLE instances). */
  @Produces
  @Singleton
  DmlSlots fleetDmlSlots(Firestore firestore, LedgerConfig config) {
    return new FirestoreDmlSlots(
        new LedgerStore(firestore, ExecutionProducers.ledgerSettings(config)));
  }

  private static Warehouse duckDb(WarehouseConfig config) {
    WarehouseConfig.DuckDb duck = config.duckdb();
    LOG.infof(
        "Warehouse: DuckDB, a file per dataset in %s, memory limit %s, %d idle datasets attached",
        duck.path(), duck.memoryLimit(), duck.attachedDatasets());
    return new DuckDbWarehouse(
        duck.path(), duck.memoryLimit(), duck.checkpointThreshold(), duck.attachedDatasets());
  }

  void close(@Disposes Warehouse warehouse) throws Exception {
    if (closeable != null) {
      closeable.close();
    }
  }

  @Produces
  @Singleton
  @Named("table-pool")
  ExecutorService tablePool(ExecutionConfig config) {
    return newTablePool(config.tableParallelism());
  }

  /**
   * Threads for a plan's independent table steps; each task keeps its job's fence, MDC and trace.
   */
  public static ExecutorService newTablePool(int n) {
    return new ThreadPoolExecutor(
        n, n, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), DaemonThreads.named("table")) {
      @Override
      public void execute(Runnable task) {
        super.execute(
            io.opentelemetry.context.Context.current()
                .wrap(JobFence.propagating(MdcJobLogContext.propagating(task))));
      }
    };
  }

  void closePool(@Disposes @Named("table-pool") ExecutorService pool) {
    pool.shutdownNow();
  }

  @Produces
  @Singleton
  ProvisioningService provisioning(
      Catalog catalog,
      Warehouse warehouse,
      ProvisionerConfig core,
      WarehouseConfig wh,
      ExecutionConfig execution,
      @Named("table-pool") ExecutorService tablePool) {
    return newProvisioning(catalog, warehouse, core, wh, execution, tablePool);
  }

  /** The use cases over {@code warehouse}, applying a plan's table steps on {@code tablePool}. */
  public static ProvisioningService newProvisioning(
      Catalog catalog,
      Warehouse warehouse,
      ProvisionerConfig core,
      WarehouseConfig wh,
      ExecutionConfig execution,
      ExecutorService tablePool) {
    return new ProvisioningService(
        catalog,
        warehouse,
        new ProvisioningSettings(
            core.env(),
            wh.location(),
            DatasetSettingsConfigs.defaults(core),
            DatasetSettingsConfigs.perOrg(core),
            new OffboardingSettings(
                core.offboarding().gracePeriod().orElse(OffboardingSettings.DEFAULTS.gracePeriod()),
                core.offboarding()
                    .restoreWindow()
                    .orElse(OffboardingSettings.DEFAULTS.restoreWindow())),
            accessDomains(core),
            core.allowedLocations().map(Set::copyOf).orElse(null),
            new TenantViewSettings(
                core.tenantViews().enabled(),
                core.tenantViews().shardCount().orElse(TenantShards.DEFAULT_COUNT))),
        new PlanApplier(warehouse, tablePool, execution.tableParallelism()));
  }

  /** Each org's configured access domains, as sets. */
  private static Map<String, Set<String>> accessDomains(ProvisionerConfig core) {
    Map<String, Set<String>> out = new HashMap<>();
    core.orgAccessDomains().forEach((org, domains) -> out.put(org, Set.copyOf(domains)));
    return out;
  }
}
