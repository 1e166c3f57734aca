package dev.orgprovisioner.faults;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.execution.ExecutionSettings;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.messaging.HandWiredWorker;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.testing.FaultyWarehouse;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in a JVM of its own, for {@link WorkerCrashTest} to kill with SIGKILL: the hand-wired
 * worker on the given emulators and DuckDB file, with a short lease and slow warehouse calls so
 * that it is caught in the middle of onboardings.
 *
 * <p>Arguments: pubsub-host firestore-host topology-prefix ledger-prefix duckdb-file owner
 * lease-seconds.
 */
public final class CrashWorkerMain {

  public static final String READY = "CRASH-WORKER READY";

  private CrashWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String pubSubHost = args[0];
    String firestoreHost = args[1];
    MessagingConfig topology = HandWiredWorker.topology(pubSubHost, args[2], Map.of());
    Duration lease = Duration.ofSeconds(Long.parseLong(args[6]));
    Firestore db = SharedEmulators.firestoreClient(firestoreHost);
    FirestoreLedger ledger = WorkerCrashTest.ledger(db, args[3], lease);
    DuckDbWarehouse duck = new DuckDbWarehouse(args[4]);
    // Slow metadata calls, as BigQuery's are: an onboarding takes long enough to be interrupted.
    FaultyWarehouse warehouse = new FaultyWarehouse(duck).delay(Duration.ofMillis(60));
    HandWiredWorker.start(
        HandWiredWorker.Options.of(pubSubHost, topology, ledger, warehouse, args[5])
            .withExecution(
                new ExecutionSettings(
                    4,
                    6,
                    Duration.ofMillis(50),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    Duration.ofMinutes(5))));
    System.out.println(READY);
    System.out.flush();
    new CountDownLatch(1).await(); // until killed
  }
}
