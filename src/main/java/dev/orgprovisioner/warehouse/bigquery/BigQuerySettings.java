package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.warehouse.Quota;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Connection settings of the BigQuery warehouse (project, location, host override, limits).
 *
 * @param callTimeout connect and read timeout of every API call (metadata, table patches, each
 *     request of a query)
 * @param queryTimeout the longest the worker waits for a query's result (the whole call, polling
 *     included); past it the call fails as transient and its org lock is freed. Also each query
 *     job's jobTimeoutMs, so BigQuery stops what the worker gave up on
 * @param concurrentRequests HTTP requests this instance keeps in flight at most (its share of
 *     BigQuery's concurrent API requests per user), when its calls are paced
 */
public record BigQuerySettings(
    String projectId,
    String location,
    Optional<String> hostOverride,
    long maximumBytesBilled,
    int parallelism,
    Duration callTimeout,
    Duration queryTimeout,
    int concurrentRequests) {

  /** The configuration key of {@link #maximumBytesBilled}, named by errors it causes. */
  public static final String MAXIMUM_BYTES_BILLED_KEY = "warehouse.bigquery.maximum-bytes-billed";

  /** 1 GiB: INFORMATION_SCHEMA reads bill 10 MiB minimum each, so this only stops runaways. */
  public static final long DEFAULT_MAXIMUM_BYTES_BILLED = 1L << 30;

  /** Defaults of the two timeouts for tools and tests; the application sets both from config. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(5);

  /** Settings of an instance alone: it may hold all of BigQuery's concurrent requests. */
  public BigQuerySettings(
      String projectId,
      String location,
      Optional<String> hostOverride,
      long maximumBytesBilled,
      int parallelism,
      Duration callTimeout,
      Duration queryTimeout) {
    this(
        projectId,
        location,
        hostOverride,
        maximumBytesBilled,
        parallelism,
        callTimeout,
        queryTimeout,
        Quota.CONCURRENT_REQUESTS);
  }

  /** Settings with the default timeouts. */
  public BigQuerySettings(
      String projectId,
      String location,
      Optional<String> hostOverride,
      long maximumBytesBilled,
      int parallelism) {
    this(
        projectId,
        location,
        hostOverride,
        maximumBytesBilled,
        parallelism,
        DEFAULT_CALL_TIMEOUT,
        DEFAULT_QUERY_TIMEOUT);
  }

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
    if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive");
    }
    if (concurrentRequests < 1) {
      throw new IllegalArgumentException(
          "concurrentRequests must be at least 1: " + concurrentRequests);
    }
    if (queryTimeout == null || queryTimeout.isNegative() || queryTimeout.isZero()) {
      throw new IllegalArgumentException("queryTimeout must be positive");
    }
  }

  /** Production settings: Application Default Credentials, default byte cap, 4 parallel reads. */
  public static BigQuerySettings of(String projectId, String location) {
    return new BigQuerySettings(
        projectId, location, Optional.empty(), DEFAULT_MAXIMUM_BYTES_BILLED, 4);
  }
}
