package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
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
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutStatus;
import dev.orgprovisioner.rollout.WavePlanner;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.EventSchemas;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PoolFixtures;
import dev.orgprovisioner.testing.RecordingEventPublisher;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Roll-outs run by real worker pools over the in-memory ledger and a DuckDB fleet onboarded with
 * the project's catalog; the syncs are the real ones, with failures injected for chosen orgs.
 */
class RolloutJobTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          RolloutJobTest.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final List<String> FLEET = new ArrayList<>();

  private static DuckDbWarehouse duck;
  private static ProvisioningService service;

  private final InMemoryLedger ledger = LedgerFixtures.inMemory(Duration.ofSeconds(30));
  private final InMemoryRollouts rollouts = new InMemoryRollouts();
  private final RecordingEventPublisher publisher = new RecordingEventPublisher();
  private final Set<String> broken = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> syncRuns = new ConcurrentHashMap<>();
  private final List<WorkerPool> pools = new ArrayList<>();

  @BeforeAll
  static void onboardAFleet() {
    duck = new DuckDbWarehouse(":memory:");
    service =
        new ProvisioningService(
            CatalogFixtures.project(), duck, new ProvisioningSettings(Environment.LOCAL, "EU"));
    service.bootstrap(false);
    ProvisioningJobs onboarding = new ProvisioningJobs(service, Clock.systemUTC());
    for (int i = 0; i < 10; i++) {
      String org = "fleet_org_" + i;
      onboarding.run(JobHarness.onboard(org, null), new AttemptsStepLog().nextAttempt());
      FLEET.add(org);
    }
  }

  @AfterAll
  static void closeWarehouse() {
    duck.close();
  }

  @AfterEach
  void stopPools() {
    pools.forEach(WorkerPool::close);
  }

  private WorkerPool startPool(String owner) {
    RolloutDriver driver =
        new RolloutDriver(
            rollouts,
            ledger,
            ledger,
            service::activeOrgs,
            service.catalog().org().version(),
            Duration.ofMillis(50),
            Clock.systemUTC());
    ProvisioningJobs jobs = new ProvisioningJobs(service, Clock.systemUTC(), null, ledger, driver);
    JobRunner runner =
        new JobRunner() {
          @Override
          public JobResult run(Job job, StepLog steps) {
            if (job.type() == CommandType.SYNC) {
              syncRuns.computeIfAbsent(job.orgSlug(), o -> new AtomicInteger()).incrementAndGet();
              if (broken.contains(job.orgSlug())) {
                throw new JobFailedException(
                    ErrorInfo.permanent("INJECTED", "injected failure of " + job.orgSlug()),
                    null,
                    null);
              }
            }
            return jobs.run(job, steps);
          }

          @Override
          public String failureEventType(CommandType type) {
            return jobs.failureEventType(type);
          }
        };
    WorkerPool pool =
        PoolFixtures.pool(
            ledger,
            runner,
            new OutboxRelay(ledger, publisher),
            AuditTrail.NONE,
            PoolFixtures.settings(3, 3),
            owner,
            Clock.systemUTC());
    pools.add(pool);
    pool.start();
    return pool;
  }

  private Job submit(WorkerPool pool, String type, String id, Map<String, Object> data) {
    Map<String, String> attrs = new LinkedHashMap<>(MalformedCommands.onboardAttributes(id));
    attrs.put("ce-type", type);
    DecodeResult result = DECODER.decode(attrs, MalformedCommands.json(data), null);
    assertThat(result).isInstanceOf(DecodeResult.Accepted.class);
    Job job =
        LedgerFixtures.accept(
            ledger, ((DecodeResult.Accepted) result).envelope(), Clock.systemUTC().instant());
    pool.dispatch(job);
    return job;
  }

  private static Map<String, Object> start(String id, double maxFailureRate) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("rollout_id", id);
    data.put("target_catalog_version", service.catalog().org().version());
    data.put(
        "waves",
        List.of(Map.of("orgs", List.of("fleet_org_0")), Map.of("share", 0.5), Map.of("share", 1)));
    data.put("bake_seconds", 0);
    data.put("max_failure_rate", maxFailureRate);
    data.put("max_concurrent_orgs", 3);
    return data;
  }

  private OutboxEvent awaitTerminal(Job job) {
    await().atMost(DEADLINE).until(() -> ledger.job(job.id()).orElseThrow().state().isTerminal());
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                publisher.events().stream()
                    .anyMatch(e -> job.commandId().equals(e.attributes().get("correlation-id"))));
    return publisher.events().stream()
        .filter(e -> job.commandId().equals(e.attributes().get("correlation-id")))
        .findFirst()
        .orElseThrow();
  }

  private static JsonNode data(OutboxEvent event) throws Exception {
    return JSON.readTree(event.data());
  }

  @Test
  void aRolloutOfThreeWaves_syncsEveryOrgOnce_andCompletes() throws Exception {
    WorkerPool pool = startPool("w1");

    OutboxEvent end =
        awaitTerminal(submit(pool, "rollout.start.requested", "ro-1", start("ro-one", 0)));

    assertThat(end.type()).isEqualTo("rollout.completed");
    Rollout rollout = rollouts.get("ro-one").orElseThrow();
    assertThat(rollout.status()).isEqualTo(RolloutStatus.COMPLETED);
    assertThat(rollout.waves()).extracting(w -> w.orgs().size()).containsExactly(1, 4, 5);
    assertThat(rollout.waves().get(0).orgs()).containsExactly("fleet_org_0");
    assertThat(syncRuns.keySet()).containsExactlyInAnyOrderElementsOf(FLEET);
    assertThat(syncRuns.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(data(end).path("waves").get(2).path("orgs").asInt()).isEqualTo(5);
    List<JsonNode> waves = waveEvents("ro-one", 3);
    assertThat(waves).extracting(w -> w.path("wave").asInt()).containsExactly(0, 1, 2);
    assertThat(waves).extracting(w -> w.path("orgs").asInt()).containsExactly(1, 4, 5);
    assertThat(waves)
        .extracting(w -> w.path("next").asText())
        .containsExactly("bake_then_next_wave", "bake_then_next_wave", "completed");
    for (OutboxEvent e : publisher.events()) {
      if (e.type().startsWith("rollout.")) {
        assertThat(EventSchemas.violations(e.type(), e.data())).as(e.type()).isEmpty();
      }
    }
  }

  /** The {@code rollout.wave.completed} events of a roll-out, by wave, once there are {@code n}. */
  private List<JsonNode> waveEvents(String rolloutId, int n) throws Exception {
    await().atMost(DEADLINE).until(() -> waveEventsNow(rolloutId).size() >= n);
    return waveEventsNow(rolloutId);
  }

  private List<JsonNode> waveEventsNow(String rolloutId) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (OutboxEvent e : publisher.events("rollout.wave.completed")) {
      JsonNode d = data(e);
      if (d.path("rollout_id").asText().equals(rolloutId)) {
        out.add(d);
      }
    }
    out.sort(java.util.Comparator.comparingInt(d -> d.path("wave").asInt()));
    return out;
  }

  @Test
  void aWaveOverItsFailureThreshold_halts_andAResumeAfterTheFixFinishesIt() throws Exception {
    Rollout probe =
        Rollout.started(
            ((dev.orgprovisioner.command.Command.RolloutStart)
                    ((DecodeResult.Accepted)
                            DECODER.decode(
                                attrs("rollout.start.requested", "probe"),
                                MalformedCommands.json(start("ro-halt", 0.2)),
                                null))
                        .envelope()
                        .command())
                .spec(),
            "probe",
            java.time.Instant.now());
    List<String> secondWave = WavePlanner.orgsOf(probe.spec(), 1, FLEET, Set.of("fleet_org_0"));
    broken.addAll(secondWave.subList(0, 2));
    WorkerPool pool = startPool("w1");

    OutboxEvent halted =
        awaitTerminal(submit(pool, "rollout.start.requested", "ro-2", start("ro-halt", 0.2)));

    assertThat(halted.type()).isEqualTo("rollout.halted");
    assertThat(data(halted).path("reasons").get(0).asText()).contains("wave 1: 2 of 4 orgs failed");
    Rollout stopped = rollouts.get("ro-halt").orElseThrow();
    assertThat(stopped.status()).isEqualTo(RolloutStatus.HALTED);
    assertThat(stopped.waves()).hasSize(2);
    assertThat(stopped.waves().get(1).failed()).containsExactlyInAnyOrderElementsOf(broken);
    JsonNode secondWave0 = waveEvents("ro-halt", 2).get(1);
    assertThat(secondWave0.path("next").asText()).isEqualTo("halted");
    assertThat(secondWave0.path("failed").asInt()).isEqualTo(2);
    Set<String> fixed = Set.copyOf(broken);
    broken.clear();

    OutboxEvent completed =
        awaitTerminal(
            submit(pool, "rollout.resume.requested", "ro-3", Map.of("rollout_id", "ro-halt")));

    assertThat(completed.type()).isEqualTo("rollout.completed");
    assertThat(rollouts.get("ro-halt").orElseThrow().status()).isEqualTo(RolloutStatus.COMPLETED);
    for (String org : FLEET) {
      assertThat(syncRuns.get(org).get()).as(org).isEqualTo(fixed.contains(org) ? 2 : 1);
    }
  }

  @Test
  void aRolloutInterruptedByAWorkerStop_goesOnOnAnotherInstance_withoutRerunningFinishedOrgs() {
    WorkerPool first = startPool("w1");
    Job start = submit(first, "rollout.start.requested", "ro-4", start("ro-moved", 0));
    await()
        .atMost(DEADLINE)
        .until(() -> rollouts.get("ro-moved").map(r -> r.wave() >= 1).orElse(false));

    first.close();
    startPool("w2");

    OutboxEvent end = awaitTerminal(start);
    assertThat(end.type()).isEqualTo("rollout.completed");
    assertThat(syncRuns.keySet()).containsExactlyInAnyOrderElementsOf(FLEET);
    assertThat(syncRuns.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(ledger.job(start.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void aRolloutToAnotherCatalogVersion_failsNamingBothVersions() throws Exception {
    WorkerPool pool = startPool("w1");
    Map<String, Object> data = start("ro-wrong", 0);
    data.put("target_catalog_version", "99");

    OutboxEvent failed = awaitTerminal(submit(pool, "rollout.start.requested", "ro-5", data));

    assertThat(failed.type()).isEqualTo("rollout.failed");
    assertThat(data(failed).path("error_code").asText()).isEqualTo("ROLLOUT_VERSION_MISMATCH");
    assertThat(data(failed).path("error").asText())
        .contains("version " + service.catalog().org().version())
        .contains("version 99");
    assertThat(rollouts.get("ro-wrong")).isEmpty();
  }

  @Test
  void anOperatorsHalt_stopsTheDriver_andAnAbortEndsItForGood() throws Exception {
    broken.addAll(FLEET);
    WorkerPool pool = startPool("w1");
    Map<String, Object> slow = start("ro-stop", 1.0);
    Job start = submit(pool, "rollout.start.requested", "ro-6", slow);
    await().atMost(DEADLINE).until(() -> rollouts.get("ro-stop").isPresent());

    OutboxEvent stop =
        awaitTerminal(
            submit(
                pool,
                "rollout.halt.requested",
                "ro-7",
                Map.of("rollout_id", "ro-stop", "reason", "pager")));
    OutboxEvent driverEnd = awaitTerminal(start);

    assertThat(stop.type()).isEqualTo("rollout.stop.recorded");
    assertThat(data(stop).path("status").asText()).isEqualTo("HALTED");
    assertThat(driverEnd.type()).isIn("rollout.halted", "rollout.completed");
    OutboxEvent abort =
        awaitTerminal(
            submit(pool, "rollout.abort.requested", "ro-8", Map.of("rollout_id", "ro-stop")));
    assertThat(abort.type()).isEqualTo("rollout.stop.recorded");
    OutboxEvent resume =
        awaitTerminal(
            submit(pool, "rollout.resume.requested", "ro-9", Map.of("rollout_id", "ro-stop")));
    assertThat(resume.type()).isEqualTo("rollout.failed");
    assertThat(data(resume).path("error_code").asText()).isEqualTo("ROLLOUT_ENDED");
  }

  @Test
  void aRunningRolloutWhoseDriverEndedForGood_isTakenOverByAResume() throws Exception {
    WorkerPool pool = startPool("w1");
    var spec =
        ((dev.orgprovisioner.command.Command.RolloutStart)
                ((DecodeResult.Accepted)
                        DECODER.decode(
                            attrs("rollout.start.requested", "orphan"),
                            MalformedCommands.json(start("ro-orphan", 0)),
                            null))
                    .envelope()
                    .command())
            .spec();
    rollouts.create(Rollout.started(spec, "a-driver-that-failed", java.time.Instant.now()));

    OutboxEvent end =
        awaitTerminal(
            submit(pool, "rollout.resume.requested", "ro-10", Map.of("rollout_id", "ro-orphan")));

    assertThat(end.type()).isEqualTo("rollout.completed");
    assertThat(syncRuns.keySet()).containsExactlyInAnyOrderElementsOf(FLEET);
  }

  private static Map<String, String> attrs(String type, String id) {
    Map<String, String> attrs = new LinkedHashMap<>(MalformedCommands.onboardAttributes(id));
    attrs.put("ce-type", type);
    return attrs;
  }
}
