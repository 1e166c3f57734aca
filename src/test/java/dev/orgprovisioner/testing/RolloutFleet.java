package dev.orgprovisioner.testing;

import com.google.cloud.bigquery.BigQueryException;
import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.CatalogLoader;
import dev.orgprovisioner.catalog.CatalogSource;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.OutboxRelay;
import dev.orgprovisioner.execution.WorkerPool;
import dev.orgprovisioner.execution.port.AuditTrail;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.ledger.memory.InMemoryLedger;
import dev.orgprovisioner.ledger.memory.InMemoryRollouts;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.FencedWarehouse;
import dev.orgprovisioner.provisioning.ProvisioningJobs;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.RolloutDriver;
import dev.orgprovisioner.warehouse.BucketGate;
import dev.orgprovisioner.warehouse.QuotaBuckets;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.SplitQuotaBuckets;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.bigquery.BigQuerySettings;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import dev.orgprovisioner.warehouse.bigquery.BigQueryWarehouse;
import dev.orgprovisioner.warehouse.bigquery.StubQuotas;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * A fleet of orgs on the quota-enforcing BigQuery stub, rolled to a catalog version with one new
 * column by three worker instances: each its own BigQuery client, quota gate, provisioning service,
 * roll-out driver and worker pool, all sharing one in-memory ledger (the job queue, fenced) and one
 * store of quota windows. What a roll-out by a fleet of workers does, in one JVM.
 */
public final class RolloutFleet implements AutoCloseable {

  /** Worker instances. */
  public static final int INSTANCES = 3;

  private static final String PROJECT = "test-project";
  private static final ProvisioningSettings SETTINGS =
      new ProvisioningSettings(Environment.LOCAL, "EU");
  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          RolloutFleet.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  /** How the roll-out is run. */
  public record Options(
      int orgs,
      double timeScale,
      boolean pacing,
      QuotaBuckets quotaStore,
      int workersEach,
      int maxConcurrentOrgs,
      Duration deadline) {}

  /**
   * What the roll-out did.
   *
   * @param outcome the roll-out's terminal event type (rollout.completed, rollout.halted, or
   *     "deadline" when it did not end in time)
   * @param wall from the start command to the roll-out's terminal event
   * @param rejected 403 rateLimitExceeded answers of the stub, per quota
   * @param retries warehouse calls retried (each a refused or failed attempt)
   * @param surfaced rate-limit errors that reached a job (all its call's attempts refused)
   * @param failedSyncs syncs that ended failed
   * @param reattempted syncs that needed more than one attempt
   * @param requests the stub's requests during the roll-out, per REST method
   */
  public record Result(
      String outcome,
      Duration wall,
      Map<StubQuotas.Quota, Integer> rejected,
      long retries,
      long surfaced,
      long syncs,
      long failedSyncs,
      long reattempted,
      Map<String, Long> requests) {}

  private final BigQueryStub stub = BigQueryStub.start();
  private final List<String> orgs;
  private final Catalog next;
  private final List<BigQueryWarehouse> engines = new ArrayList<>();
  private final List<WorkerPool> pools = new ArrayList<>();

  /** Syncs one org at catalog version 1, copies it to {@code orgs} orgs, writes version 2. */
  public RolloutFleet(int orgs, Path scratch) {
    this.orgs = IntStream.range(0, orgs).mapToObj(i -> String.format("rb_%05d", i)).toList();
    try (BigQueryWarehouse setup = engine(QuotaGate.NONE)) {
      ProvisioningService v1 = new ProvisioningService(CatalogFixtures.minimal(), setup, SETTINGS);
      v1.bootstrap(false);
      String first = this.orgs.get(0);
      // The minimal catalog's profile: what a sync reads (onboarding needs the project's).
      setup.insertRows(
          v1.centralDataset(),
          ProvisioningService.PROFILES_TABLE,
          List.of(Map.of("org_slug", first, "status", "ACTIVE", "created_at", Instant.now())));
      v1.syncOrg(OrgSlug.parse(first), false);
      copyOrg(setup, v1, first);
    }
    this.next = nextVersion(scratch);
  }

  /** The minimal catalog with one new column in {@code invoices}, as org version 2. */
  private static Catalog nextVersion(Path scratch) {
    try {
      Path root =
          CatalogFixtures.copy(CatalogFixtures.MINIMAL, Files.createTempDirectory(scratch, "v2"));
      CatalogFixtures.edit(root, "org/catalog.yml", "version: \"1\"", "version: \"2\"");
      CatalogFixtures.edit(
          root,
          "org/tables/invoices.json",
          "\"description\": \"Row creation time.\"}",
          "\"description\": \"Row creation time.\"},\n  {\"name\": \"credits\", \"type\":"
              + " \"NUMERIC\", \"mode\": \"NULLABLE\", \"description\": \"Credits applied.\"}");
      return CatalogLoader.load(CatalogSource.directory(root));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every other org: a copy of the first one's dataset and of its central rows. */
  private void copyOrg(Warehouse setup, ProvisioningService v1, String first) {
    String central = v1.centralDataset();
    String firstDataset = SETTINGS.orgDataset(OrgSlug.parse(first));
    for (String org : orgs.subList(1, orgs.size())) {
      stub.cloneDataset(PROJECT, firstDataset, SETTINGS.orgDataset(OrgSlug.parse(org)));
    }
    for (var table : v1.catalog().central().tables()) {
      List<Map<String, Object>> rows =
          setup.selectRows(central, table.name(), Map.of("org_slug", first), 1000);
      if (rows.isEmpty()) {
        continue;
      }
      List<Map<String, Object>> copies = new ArrayList<>();
      for (String org : orgs.subList(1, orgs.size())) {
        for (Map<String, Object> row : rows) {
          Map<String, Object> copy = new LinkedHashMap<>();
          row.forEach((k, v) -> copy.put(k, v instanceof String s ? s.replace(first, org) : v));
          copies.add(copy);
        }
        if (copies.size() >= 500) {
          setup.insertRows(central, table.name(), copies);
          copies.clear();
        }
      }
      if (!copies.isEmpty()) {
        setup.insertRows(central, table.name(), copies);
      }
    }
  }

  private BigQueryWarehouse engine(QuotaGate gate) {
    return BigQueryWarehouse.create(
        new BigQuerySettings(PROJECT, "EU", Optional.of(stub.host()), 1L << 30, 4), gate);
  }

  public List<String> orgs() {
    return orgs;
  }

  /** The catalog version the roll-out brings every org to. */
  public String targetVersion() {
    return next.org().version();
  }

  /** Rolls every org to version 2 by three instances against the stub's enforced quotas. */
  public Result rollOut(Options options) throws InterruptedException {
    StubQuotas quotas = stub.enforceQuotas(options.timeScale());
    stub.clearRequests();
    InMemoryLedger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(30));
    InMemoryRollouts rollouts = new InMemoryRollouts();
    RecordingEventPublisher publisher = new RecordingEventPublisher();
    AtomicLong surfaced = new AtomicLong();
    List<RetryingWarehouse> retrying = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      QuotaGate gate =
          options.pacing()
              ? BucketGate.of(
                  new SplitQuotaBuckets(options.quotaStore(), INSTANCES), options.timeScale())
              : QuotaGate.NONE;
      BigQueryWarehouse engine = engine(gate);
      engines.add(engine);
      // As the worker wires it: fenced, then retried (4 attempts from 500 ms, the defaults).
      RetryingWarehouse retried =
          new RetryingWarehouse(
              new FencedWarehouse(engine, Clock.systemUTC()), 4, Duration.ofMillis(500));
      retrying.add(retried);
      ProvisioningService service =
          new ProvisioningService(next, countingRateLimits(retried, surfaced), SETTINGS);
      RolloutDriver driver =
          new RolloutDriver(
              rollouts,
              ledger,
              ledger,
              service::activeOrgs,
              next.org().version(),
              Duration.ofMillis(50),
              Clock.systemUTC());
      ProvisioningJobs jobs =
          new ProvisioningJobs(service, Clock.systemUTC(), null, ledger, driver);
      WorkerPool pool =
          PoolFixtures.pool(
              ledger,
              runner(jobs),
              new OutboxRelay(ledger, publisher),
              AuditTrail.NONE,
              PoolFixtures.settings(options.workersEach(), 3),
              "instance-" + i,
              Clock.systemUTC());
      pools.add(pool);
      pool.start();
    }
    long started = System.nanoTime();
    Job start = submit(ledger, pools.get(0), options);
    String outcome = awaitEnd(publisher, start, options.deadline());
    Duration wall = Duration.ofNanos(System.nanoTime() - started);
    List<Job> syncs =
        LedgerFixtures.allJobs(ledger, null, null).stream()
            .filter(j -> j.type() == CommandType.SYNC)
            .toList();
    close();
    Map<String, Long> byMethod = new HashMap<>();
    for (BigQueryStub.Request r : stub.requests()) {
      byMethod.merge(StubQuotas.apiMethod(r), 1L, Long::sum);
    }
    return new Result(
        outcome,
        wall,
        quotas.rejections(),
        retrying.stream().mapToLong(RetryingWarehouse::retries).sum(),
        surfaced.get(),
        syncs.size(),
        syncs.stream().filter(j -> j.state() == JobState.FAILED).count(),
        syncs.stream().filter(j -> j.attempts() > 1).count(),
        byMethod);
  }

  private static JobRunner runner(ProvisioningJobs jobs) {
    return new JobRunner() {
      @Override
      public JobResult run(Job job, StepLog steps) {
        return jobs.run(job, steps);
      }

      @Override
      public String failureEventType(CommandType type) {
        return jobs.failureEventType(type);
      }
    };
  }

  private Job submit(InMemoryLedger ledger, WorkerPool pool, Options options) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rollout_id", "bench-credits");
    data.put("target_catalog_version", next.org().version());
    data.put("waves", List.of(Map.of("share", 1)));
    data.put("bake_seconds", 0);
    // Contrast runs go on to the end whatever fails: the figures are what is compared.
    data.put("max_failure_rate", 1);
    data.put("max_concurrent_orgs", options.maxConcurrentOrgs());
    Map<String, String> attrs =
        new LinkedHashMap<>(MalformedCommands.onboardAttributes("rollout-bench"));
    attrs.put("ce-type", "rollout.start.requested");
    DecodeResult result = DECODER.decode(attrs, MalformedCommands.json(data), null);
    if (!(result instanceof DecodeResult.Accepted accepted)) {
      throw new IllegalStateException("roll-out command refused: " + result);
    }
    Job job = LedgerFixtures.accept(ledger, accepted.envelope(), Clock.systemUTC().instant());
    pool.dispatch(job);
    return job;
  }

  /** The roll-out's terminal event type, or "deadline". */
  private static String awaitEnd(RecordingEventPublisher publisher, Job start, Duration deadline)
      throws InterruptedException {
    try {
      return org.awaitility.Awaitility.await()
          .atMost(deadline)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> endOf(publisher, start), java.util.Objects::nonNull);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return "deadline";
    }
  }

  private static String endOf(RecordingEventPublisher publisher, Job start) {
    for (OutboxEvent e : publisher.events()) {
      if (start.commandId().equals(e.attributes().get("correlation-id"))) {
        return e.type();
      }
    }
    return null;
  }

  @Override
  public void close() {
    pools.forEach(WorkerPool::close);
    pools.clear();
    engines.forEach(BigQueryWarehouse::close);
    engines.clear();
  }

  /** Closes the instances and the stub. */
  public void shutdown() {
    close();
    stub.close();
  }

  /** {@code delegate}, counting the rate-limit errors that come out of it (reach the job). */
  private static Warehouse countingRateLimits(Warehouse delegate, AtomicLong surfaced) {
    return (Warehouse)
        Proxy.newProxyInstance(
            Warehouse.class.getClassLoader(),
            new Class<?>[] {Warehouse.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                  if (t instanceof BigQueryException b
                      && "rateLimitExceeded".equals(b.getReason())) {
                    surfaced.incrementAndGet();
                    break;
                  }
                }
                throw e.getCause();
              }
            });
  }
}
