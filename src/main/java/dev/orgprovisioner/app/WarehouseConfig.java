package dev.orgprovisioner.app;

import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which warehouse the worker provisions, and how to reach it. */
@ConfigMapping(prefix = "warehouse")
public interface WarehouseConfig {

  /**
   * The warehouse engine: duckdb (embedded) or bigquery (production). Required outside the test,
   * local and dev profiles, which fall back to duckdb ({@link WarehouseKindGuard}).
   */
  java.util.Optional<Kind> kind();

  /** Location of new datasets when a command names none (BigQuery region or multi-region). */
  @WithDefault("EU")
  String location();

  /** DuckDB settings. */
  DuckDb duckdb();

  /** BigQuery settings, used when warehouse.kind=bigquery. */
  BigQuery bigquery();

  /** Attempts of one warehouse call on transient errors (rate limits, 5xx) before giving up. */
  @WithDefault("4")
  int retryMaxAttempts();

  /** First delay between attempts of one call; doubled per attempt, with jitter. */
  @WithDefault("500ms")
  java.time.Duration retryInitialBackoff();

  /** Supported warehouse engines. */
  enum Kind {
    DUCKDB,
    BIGQUERY
  }

  /** Settings of the BigQuery warehouse. */
  interface BigQuery {
    /** Project holding the datasets and running the queries (e.g. ${GOOGLE_CLOUD_PROJECT}). */
    java.util.Optional<String> projectId();

    /** Root URL of a stand-in (tests, a local stub); when set, no credentials are sent. */
    java.util.Optional<String> host();

    /**
     * Pace BigQuery metadata calls fleet-wide: every instance counts its calls in the ledger's
     * shared quota windows (table and dataset metadata updates, tables.insert), so all replicas
     * together stay under BigQuery's limits. Off: each instance paces only itself.
     */
    @WithDefault("true")
    boolean fleetQuotas();

    /**
     * Instances sharing BigQuery's per-user quotas (the deploy's maximum instances): each paces 1 /
     * n of the requests per second per method alone, with no ledger transaction per request, and
     * keeps at most max(1, 300 / n) requests in flight. Beyond 20 (DmlSlots.PER_TABLE), each MERGE
     * also holds one of its table's fleet-wide DML slots in the ledger: each instance has at most
     * one MERGE per table in flight (group commit), and BigQuery runs 2 and queues 20 per table.
     */
    @WithDefault("3")
    int fleetInstances();

    /** Cap on the bytes billed by every query. */
    @WithDefault("1073741824")
    long maximumBytesBilled();

    /**
     * Metadata calls run at once: the bulk read's queries and dataset lookups, and apart from them
     * the fresh reads' tables.get calls of all jobs together.
     */
    @WithDefault("4")
    int parallelism();

    /**
     * Connect and read timeout of every BigQuery API call (metadata, table patches, each request of
     * a query); a hung call fails as transient and is retried.
     */
    @WithDefault("30s")
    java.time.Duration callTimeout();

    /**
     * Longest wait for a query's result (DML writes and INFORMATION_SCHEMA reads, polling
     * included); past it the call fails as transient, so a job never holds its org lock longer.
     * Also every query job's timeout (jobTimeoutMs): BigQuery stops a job the worker gave up on.
     */
    @WithDefault("40s")
    java.time.Duration queryTimeout();
  }

  /** Settings of the embedded DuckDB warehouse. */
  interface DuckDb {
    /**
     * The folder of the datasets' files, a DuckDB file per dataset; ":memory:" keeps everything in
     * memory and loses it on exit.
     */
    @WithDefault(":memory:")
    String path();

    /**
     * Idle datasets kept attached. DuckDB holds the whole catalog of each attached dataset in
     * memory (about 1 MiB per org dataset), so memory stays flat however large the fleet; datasets
     * in use are always attached.
     */
    @WithDefault("" + DuckDbWarehouse.DEFAULT_ATTACHED_DATASETS)
    int attachedDatasets();

    /**
     * DuckDB's memory limit (e.g. 512MB, 2GB): its buffer pool otherwise takes up to 80 % of the
     * machine's memory, which drove the worker's resident memory past 2 GB in a burst.
     */
    @WithDefault("512MB")
    String memoryLimit();

    /**
     * DuckDB's checkpoint_threshold: the write-ahead log's size at which DuckDB folds it into a
     * dataset's file (a checkpoint writes the file's whole catalog).
     */
    @WithDefault("256MB")
    String checkpointThreshold();
  }
}
