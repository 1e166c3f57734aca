package dev.orgprovisioner.app;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.CatalogLoader;
import dev.orgprovisioner.catalog.CatalogSource;
import dev.orgprovisioner.provisioning.PlanApplier;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/** Builds the pure domain objects from configuration: catalog, warehouse, use cases. */
@Singleton
public class CoreProducers {

  private static final Logger LOG = Logger.getLogger(CoreProducers.class);

  private DuckDbWarehouse duckDb;

  @Produces
  @Singleton
  Catalog catalog(ProvisionerConfig config) {
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
  Warehouse warehouse(WarehouseConfig config) {
    if (config.kind() != WarehouseConfig.Kind.DUCKDB) {
      throw new IllegalStateException(
          "warehouse.kind=" + config.kind() + " is not available in this build yet");
    }
    String path = config.duckdb().path();
    if (!path.equals(":memory:")) {
      try {
        Path parent = Path.of(path).toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot create the folder of " + path, e);
      }
    }
    LOG.infof("Warehouse: DuckDB at %s", path);
    duckDb = new DuckDbWarehouse(path);
    return new RetryingWarehouse(duckDb, config.retryMaxAttempts(), config.retryInitialBackoff());
  }

  void close(@Disposes Warehouse warehouse) {
    if (duckDb != null) {
      duckDb.close();
    }
  }

  @Produces
  @Singleton
  @Named("table-pool")
  ExecutorService tablePool(ExecutionConfig config) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        config.tableParallelism(),
        r -> {
          Thread t = new Thread(r, "provisioner-table-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
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
    return new ProvisioningService(
        catalog,
        warehouse,
        new ProvisioningSettings(core.env(), wh.location()),
        new PlanApplier(warehouse, tablePool, execution.tableParallelism()));
  }
}
