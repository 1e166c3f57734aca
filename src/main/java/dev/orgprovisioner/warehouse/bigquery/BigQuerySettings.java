package dev.orgprovisioner.warehouse.bigquery;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Connection settings of the BigQuery warehouse (project, location, host override, limits). */
public record BigQuerySettings(
    String projectId,
    String location,
    Optional<String> hostOverride,
    long maximumBytesBilled,
    int parallelism) {

  /** 1 GiB: INFORMATION_SCHEMA reads bill 10 MiB minimum each, so this only stops runaways. */
  public static final long DEFAULT_MAXIMUM_BYTES_BILLED = 1L << 30;

  private static final Pattern PROJECT = Pattern.compile("^[a-z0-9.:-]{1,128}$");
  private static final Pattern LOCATION = Pattern.compile("^[A-Za-z0-9-]{2,40}$");

  public BigQuerySettings {
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(location, "location");
    hostOverride = hostOverride == null ? Optional.empty() : hostOverride.filter(h -> !h.isBlank());
    // Both end up inside SQL (the region qualifier and table paths): only safe characters.
    if (!PROJECT.matcher(projectId).matches()) {
      throw new IllegalArgumentException("invalid BigQuery project id: " + projectId);
    }
    if (!LOCATION.matcher(location).matches()) {
      throw new IllegalArgumentException("invalid BigQuery location: " + location);
    }
    if (maximumBytesBilled <= 0) {
      throw new IllegalArgumentException("maximumBytesBilled must be positive");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
  }

  /** Production settings: Application Default Credentials, default byte cap, 4 parallel reads. */
  public static BigQuerySettings of(String projectId, String location) {
    return new BigQuerySettings(
        projectId, location, Optional.empty(), DEFAULT_MAXIMUM_BYTES_BILLED, 4);
  }
}
