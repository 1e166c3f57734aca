package dev.orgprovisioner.app;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the warehouse engine at start-up: an explicit {@code warehouse.kind}, else the embedded
 * DuckDB only in the test, local and dev profiles; any other profile (production) refuses to start.
 */
public final class WarehouseKindGuard {

  /** Profiles in which an unset key means the embedded DuckDB. */
  static final Set<String> EMBEDDED_DEFAULT_PROFILES = Set.of("test", "local", "dev");

  private WarehouseKindGuard() {}

  /** The engine to use, or an error naming the key when none is set outside those profiles. */
  public static WarehouseConfig.Kind resolve(
      Optional<WarehouseConfig.Kind> configured, Collection<String> activeProfiles) {
    if (configured.isPresent()) {
      return configured.get();
    }
    if (activeProfiles.stream().anyMatch(EMBEDDED_DEFAULT_PROFILES::contains)) {
      return WarehouseConfig.Kind.DUCKDB;
    }
    throw new IllegalStateException(
        "warehouse.kind (environment variable WAREHOUSE_KIND) is not set: set it to bigquery"
            + " (or duckdb) explicitly. Profile(s) "
            + activeProfiles
            + " do not default to the embedded DuckDB, which is meant for tests and local runs"
            + " only; without this check every onboarding would \"succeed\" into memory.");
  }
}
