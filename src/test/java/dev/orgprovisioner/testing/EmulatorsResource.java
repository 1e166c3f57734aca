package dev.orgprovisioner.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the shared Pub/Sub and Firestore emulators for {@code @QuarkusTest}s and points the
 * application at them, with the topology created and fast sweeps so tests finish quickly.
 */
public class EmulatorsResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    String pubsub = SharedEmulators.pubSub().hostPort();
    String firestore = SharedEmulators.firestore().hostPort();
    return Map.ofEntries(
        Map.entry("messaging.emulator-host", pubsub),
        Map.entry("messaging.project-id", SharedEmulators.PROJECT),
        Map.entry("messaging.create-topology", "true"),
        Map.entry("ledger.emulator-host", firestore),
        Map.entry("ledger.project-id", SharedEmulators.PROJECT),
        Map.entry("ledger.collection-prefix", "qt" + System.nanoTime() % 100000 + "_"),
        Map.entry("execution.sweep-interval", "500ms"),
        Map.entry("execution.backoff-base", "100ms"),
        Map.entry("execution.backoff-max", "2s"),
        Map.entry("warehouse.retry-initial-backoff", "10ms"));
  }

  @Override
  public void stop() {
    // The emulators are shared by every test in the JVM; the launcher's shutdown hook stops them.
  }
}
