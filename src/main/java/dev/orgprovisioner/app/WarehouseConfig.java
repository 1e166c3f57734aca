package dev.orgprovisioner.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which warehouse the worker provisions, and how to reach it. */
@ConfigMapping(prefix = "warehouse")
public interface WarehouseConfig {

  /** The warehouse engine: duckdb (embedded, local default) or bigquery (production). */
  @WithDefault("duckdb")
  Kind kind();

  /** Location of new datasets when a command names none (BigQuery region or multi-region). */
  @WithDefault("EU")
  String location();

  /** DuckDB settings. */
  DuckDb duckdb();

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

  /** Settings of the embedded DuckDB warehouse. */
  interface DuckDb {
    /** Database file; ":memory:" keeps everything in memory and loses it on exit. */
    @WithDefault(":memory:")
    String path();
  }
}
