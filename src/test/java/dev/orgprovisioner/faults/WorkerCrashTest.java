package dev.orgprovisioner.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.cloud.firestore.Firestore;
import com.google.pubsub.v1.PubsubMessage;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.messaging.HandWiredWorker;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.plan.SyncStatus;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.Folders;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A worker JVM killed with SIGKILL in the middle of onboardings: after a second worker takes over
 * (expired leases, redelivered messages), every onboarding has completed exactly once.
 */
@Tag("faults")
class WorkerCrashTest {

  private static final int ORGS = 16;
  private static final Duration LEASE = Duration.ofSeconds(4);
  // OnboardingJob's fact, remembered right before the dataset plan is applied.
  private static final String LOCATION_DECIDED = "dataset_location";

  /** The ledger both workers share, in collections named by {@code prefix}. */
  static FirestoreLedger ledger(Firestore db, String prefix, Duration lease) {
    return new FirestoreLedger(
        db,
        new dev.orgprovisioner.ledger.LedgerSettings(
            prefix,
            Duration.ofDays(7),
            lease,
            20,
            Duration.ofSeconds(60),
            java.time.Duration.ofDays(30),
            java.time.Duration.ofDays(7)));
  }

  @Test
  void workerKilledMidOnboarding_anotherWorkerCompletesEveryJobOnce() throws Exception {
    long start = System.nanoTime();
    String prefix = FaultKit.unique("crash");
    String host = SharedEmulators.pubSub().hostPort();
    // A short ack deadline: messages the dead worker held unacked come back soon.
    MessagingConfig topology =
        HandWiredWorker.topology(host, prefix, Map.of("messaging.ack-deadline-seconds", "10"));
    HandWiredWorker.createTopology(topology);
    Path dir = Files.createDirectories(Path.of("target", "faults"));
    Path file = dir.resolve(prefix + "-warehouse");
    try (DuckDbWarehouse duck = new DuckDbWarehouse(file.toString())) {
      new ProvisioningService(
              CatalogFixtures.project(), duck, new ProvisioningSettings(Environment.LOCAL, "EU"))
          .bootstrap(false);
    }
    List<String> orgs = new ArrayList<>();
    List<PubsubMessage> commands = new ArrayList<>();
    for (int i = 0; i < ORGS; i++) {
      orgs.add(prefix + "_org_" + i);
      commands.add(FaultKit.onboard(orgs.get(i), prefix + "-onboard-" + i));
    }

    try (Firestore db = SharedEmulators.firestoreClient();
        FaultKit.Tap events = new FaultKit.Tap(host, topology.eventsTopic())) {
      FirestoreLedger ledger = ledger(db, prefix + "_", LEASE);
      FaultKit.publishAll(host, topology.commandsTopic(), commands);

      Path log = dir.resolve(prefix + "-worker.log");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx384m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashWorkerMain.class.getName(),
                  host,
                  SharedEmulators.firestore().hostPort(),
                  prefix,
                  prefix + "_",
                  file.toString(),
                  "doomed-worker",
                  String.valueOf(LEASE.toSeconds()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      List<Job> atKill;
      try {
        await()
            .atMost(Duration.ofMinutes(3))
            .until(
                () -> {
                  List<Job> jobs = ledger.jobs(null, null, 100);
                  // A job whose last commit is in flight at the kill may still be finished by
                  // the dead worker, and on a busy machine this read is a while old at the kill.
                  // So wait for one inside its dataset step (location decided, the step not yet
                  // recorded: some 25 warehouse calls of >= 60 ms to go), where no ledger
                  // transaction is open either (an open one stays locked about 60 s).
                  return jobs.stream().filter(j -> j.state() == JobState.SUCCEEDED).count() >= 2
                      && jobs.stream()
                          .anyMatch(
                              j ->
                                  j.state() == JobState.RUNNING
                                      && j.completedSteps().isEmpty()
                                      && j.facts().containsKey(LOCATION_DECIDED));
                });
      } finally {
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no lease handed back
        child.waitFor();
      }
      atKill = ledger.jobs(null, null, 100);
      List<Job> running = atKill.stream().filter(j -> j.state() == JobState.RUNNING).toList();
      long doneAtKill = atKill.stream().filter(j -> j.state() == JobState.SUCCEEDED).count();
      long midStep = running.stream().filter(j -> !j.completedSteps().isEmpty()).count();
      System.out.printf(
          "killed pid %d (exit %d): %d jobs claimed, %d done, %d running (%d past a step)%n",
          child.pid(), child.exitValue(), atKill.size(), doneAtKill, running.size(), midStep);

      try (DuckDbWarehouse duck = new DuckDbWarehouse(file.toString());
          HandWiredWorker survivor =
              HandWiredWorker.start(
                  HandWiredWorker.Options.of(
                      host,
                      topology,
                      ledger(db, prefix + "_", Duration.ofSeconds(30)),
                      duck,
                      "survivor"))) {
        await()
            .atMost(Duration.ofMinutes(3))
            .until(() -> events.distinct("org.onboarded", "idempotency-key") == ORGS);
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> ledger.jobs(JobState.SUCCEEDED, null, 100).size() == ORGS);

        List<Job> jobs = ledger.jobs(null, null, 100);
        Map<String, Long> eventIdsPerKey =
            FaultKit.countBy(
                events.ofType("org.onboarded").stream()
                    .map(
                        e ->
                            e.attributes().get("idempotency-key")
                                + "|"
                                + e.attributes().get("ce-id"))
                    .distinct()
                    .toList(),
                s -> s.substring(0, s.indexOf('|')));
        Map<String, Integer> centralRows = FaultKit.centralRowTotals(duck, orgs);
        Map<String, Map<String, Integer>> notOnce = FaultKit.centralRowsNotOnce(duck, orgs, false);
        for (String org : orgs) {
          var status = survivor.service.orgStatus(OrgSlug.parse(org));
          assertThat(status.status()).as(org + ": " + status).isEqualTo(SyncStatus.SYNCED);
        }
        List<Job> resumed =
            jobs.stream()
                .filter(j -> running.stream().anyMatch(r -> r.id().equals(j.id())))
                .toList();

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("commands", ORGS);
        counts.put("killed-with-running", running.size());
        counts.put("running-past-a-step", midStep);
        counts.put("done-before-kill", doneAtKill);
        counts.put("jobs", jobs.size());
        counts.put("resumed-attempts", resumed.stream().map(Job::attempts).toList());
        counts.put("terminal-events", events.ofType("org.onboarded").size());
        counts.put("central-rows", centralRows);
        counts.put("orgs-with-rows-not-once", notOnce.size());
        FaultKit.report("worker-crash", counts, start);

        assertThat(running).isNotEmpty();
        assertThat(jobs).hasSize(ORGS).allMatch(j -> j.state() == JobState.SUCCEEDED);
        assertThat(jobs).extracting(Job::idempotencyKey).doesNotHaveDuplicates();
        assertThat(eventIdsPerKey).hasSize(ORGS).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        // A job whose last commit was in flight at the kill may have been finished by the dead
        // worker itself (attempts 1); every other one was resumed by the survivor.
        assertThat(resumed.stream().filter(j -> j.attempts() >= 2)).isNotEmpty();
        assertThat(resumed)
            .hasSize(running.size())
            .allSatisfy(
                j -> {
                  assertThat(j.state()).isEqualTo(JobState.SUCCEEDED);
                  assertThat(j.leaseOwner()).isNull();
                  assertThat(j.completedSteps()).doesNotHaveDuplicates();
                });
        // A step finished before the kill is not run again: its record stays in place.
        for (Job before : running) {
          Job after = ledger.job(before.id()).orElseThrow();
          assertThat(after.completedSteps()).containsAll(before.completedSteps());
          assertThat(after.completedSteps().subList(0, before.completedSteps().size()))
              .isEqualTo(before.completedSteps());
        }
        assertThat(notOnce).as("orgs whose central rows are missing or doubled").isEmpty();
      }
    } finally {
      Folders.deleteTree(file);
    }
  }
}
