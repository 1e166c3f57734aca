package dev.orgprovisioner.warehouse.bigquery;

import com.google.api.services.bigquery.Bigquery;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.http.HttpTransportOptions;
import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.DmlSlotGate;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.Warehouse;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production warehouse: BigQuery through google-cloud-bigquery; one dataset's metadata read
 * fresh through the REST API, a fleet's in bulk from INFORMATION_SCHEMA.
 */
public final class BigQueryWarehouse implements Warehouse, AutoCloseable {

  private final BigQueryCalls calls;
  private final BigQueryFreshSnapshot fresh;
  private final BigQuerySnapshot snapshots;
  private final BigQueryPlanSteps steps;
  private final BigQueryTableRows rows;
  private final BigQueryDeletions deletions;
  private final BigQueryAccess access;
  // Null when the calls are not paced (no gate).
  private final RequestPermits permits;

  BigQueryWarehouse(BigQuery bigquery, BigQuerySettings settings, QuotaGate gate) {
    this(bigquery, settings, gate, true, null, DmlSlotGate.NONE);
  }

  /** With {@code groupCommit} off every upsert sends its own MERGE (tests show the difference). */
  BigQueryWarehouse(
      BigQuery bigquery,
      BigQuerySettings settings,
      QuotaGate gate,
      boolean groupCommit,
      RequestPermits permits,
      DmlSlotGate dmlSlots) {
    this.permits = permits;
    // One thread counter: the metadata and query pools' threads are numbered in one sequence.
    AtomicInteger threads = new AtomicInteger();
    this.calls = new BigQueryCalls(bigquery, settings, threads);
    this.fresh = new BigQueryFreshSnapshot(calls, threads);
    this.snapshots = new BigQuerySnapshot(calls, threads);
    this.steps = new BigQueryPlanSteps(calls, gate);
    this.rows = new BigQueryTableRows(calls, threads, groupCommit, dmlSlots);
    Bigquery rest = GeneratedRestClient.of(bigquery.getOptions());
    this.deletions = new BigQueryDeletions(calls, rest);
    this.access = new BigQueryAccess(calls, rest, gate);
  }

  /**
   * Builds the client: Application Default Credentials, or none when a host override (a local stub)
   * is set. Its calls are not paced: for tests and tools; the worker passes its quota gate.
   */
  public static BigQueryWarehouse create(BigQuerySettings settings) {
    return create(settings, QuotaGate.NONE);
  }

  /**
   * As {@link #create(BigQuerySettings)}, its calls paced by {@code gate} (the fleet-wide one over
   * the ledger's quota windows in the worker; this instance's own otherwise): metadata updates per
   * table and dataset, {@code tables.insert} per user, and every request per REST method.
   */
  public static BigQueryWarehouse create(BigQuerySettings settings, QuotaGate gate) {
    return create(settings, gate, DmlSlotGate.NONE);
  }

  /**
   * As {@link #create(BigQuerySettings, QuotaGate)}, each mutating DML statement (the upserts'
   * MERGE) also holding one of its table's fleet-wide slots from {@code dmlSlots}.
   */
  public static BigQueryWarehouse create(
      BigQuerySettings settings, QuotaGate gate, DmlSlotGate dmlSlots) {
    return create(settings, gate, true, dmlSlots);
  }

  /** As {@link #create(BigQuerySettings, QuotaGate)}; group commit of upserts on or off. */
  static BigQueryWarehouse create(BigQuerySettings settings, QuotaGate gate, boolean groupCommit) {
    return create(settings, gate, groupCommit, DmlSlotGate.NONE);
  }

  /** As {@link #create(BigQuerySettings, QuotaGate, DmlSlotGate)}; group commit on or off. */
  static BigQueryWarehouse create(
      BigQuerySettings settings, QuotaGate gate, boolean groupCommit, DmlSlotGate dmlSlots) {
    // A place is waited for at most a call's timeout: the call would have failed by then anyway.
    RequestPermits permits =
        gate == QuotaGate.NONE
            ? null
            : new RequestPermits(settings.concurrentRequests(), settings.callTimeout());
    BigQueryOptions.Builder options =
        BigQueryOptions.newBuilder()
            .setProjectId(settings.projectId())
            // One retry policy (RetryingWarehouse); client retries underneath would multiply it.
            .setRetrySettings(ServiceOptions.getNoRetrySettings())
            .setTransportOptions(transport(settings, gate, permits));
    settings
        .hostOverride()
        .ifPresent(host -> options.setHost(host).setCredentials(NoCredentials.getInstance()));
    return new BigQueryWarehouse(
        options.build().getService(), settings, gate, groupCommit, permits, dmlSlots);
  }

  /**
   * Every HTTP call bounded: a hung connection fails (transient) instead of holding the job's org
   * lock indefinitely; and, behind a gate, paced per REST method and within this instance's
   * concurrent requests.
   */
  private static HttpTransportOptions transport(
      BigQuerySettings settings, QuotaGate gate, RequestPermits permits) {
    HttpTransportOptions.Builder http =
        HttpTransportOptions.newBuilder()
            .setConnectTimeout((int) settings.callTimeout().toMillis())
            .setReadTimeout((int) settings.callTimeout().toMillis());
    if (permits != null) {
      http.setHttpTransportFactory(PacedHttpTransport.factory(gate, permits));
    }
    return http.build();
  }

  /** HTTP requests of this instance in flight now (0 when its calls are not paced). */
  int requestsInFlight() {
    return permits == null ? 0 : permits.inFlight();
  }

  @Override
  public Dialect dialect() {
    return Dialect.BIGQUERY;
  }

  @Override
  public String viewSql(PlanStep.CreateOrReplaceView view) {
    return steps.viewSql(view);
  }

  @Override
  public Optional<ObservedDataset> freshSnapshot(String dataset) {
    return fresh.snapshot(dataset);
  }

  @Override
  public Map<String, ObservedDataset> bulkSnapshot(Collection<String> datasets) {
    return snapshots.snapshot(datasets);
  }

  @Override
  public List<String> managedDatasets() {
    return snapshots.managedDatasets();
  }

  @Override
  public void apply(PlanStep step) {
    steps.apply(step);
  }

  @Override
  public void deleteDataset(String dataset) {
    deletions.delete(dataset);
  }

  @Override
  public void undeleteDataset(String dataset) {
    deletions.undelete(dataset);
  }

  @Override
  public List<AccessEntry> accessEntries(String dataset) {
    return access.entries(dataset);
  }

  @Override
  public void changeAccess(
      String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    access.change(dataset, grant, revoke);
  }

  @Override
  public List<String> authorizedDatasets(String dataset) {
    return access.authorizedDatasets(dataset);
  }

  @Override
  public void changeAuthorizedDatasets(
      String dataset, Collection<String> authorize, Collection<String> revoke) {
    access.changeAuthorized(dataset, authorize, revoke);
  }

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    this.rows.insertRows(dataset, table, rows);
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    this.rows.upsertRows(dataset, table, keyColumns, rows);
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    return rows.selectRows(dataset, table, equalTo, limit);
  }

  /** Upserts into the table waiting for group commit's next statement (for tests). */
  int waitingUpserts(String dataset, String table) {
    return rows.waitingUpserts(dataset, table);
  }

  /** MERGE statements group commit has sent so far (for tests). */
  long groupedStatements() {
    return rows.groupedStatements();
  }

  @Override
  public void close() {
    rows.close();
    fresh.close();
    snapshots.close();
    calls.close();
  }
}
