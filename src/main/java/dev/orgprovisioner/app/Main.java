package dev.orgprovisioner.app;

import dev.orgprovisioner.cli.OpsCli;
import dev.orgprovisioner.emulator.EmulatorProcess;
import dev.orgprovisioner.emulator.Emulators;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. In the {@code local} profile it first starts Google's Pub/Sub and Firestore
 * emulators on free loopback ports and points the worker at them, so one command runs the whole
 * stack; they stop when the worker stops. With {@code ops} as first argument it runs the ops
 * command line instead and never starts the worker; with {@code cds-training} it starts the worker
 * once against endpoints that refuse connections and exits ({@link CdsTraining}).
 */
@QuarkusMain
public class Main {

  public static void main(String... args) {
    if (args.length > 0 && args[0].equals("ops")) {
      System.exit(OpsCli.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length > 0 && args[0].equals(CdsTraining.ARG)) {
      CdsTraining.run();
      return;
    }
    String profile =
        System.getProperty("quarkus.profile", System.getenv().getOrDefault("QUARKUS_PROFILE", ""));
    if (profile.equals("local")) {
      startLocalStack();
    }
    Quarkus.run(args);
  }

  private static void startLocalStack() {
    EmulatorProcess pubsub = Emulators.startPubSub();
    EmulatorProcess firestore = Emulators.startFirestore();
    System.setProperty("messaging.emulator-host", pubsub.hostPort());
    System.setProperty("ledger.emulator-host", firestore.hostPort());
    System.setProperty("messaging.create-topology", "true");
    System.out.printf(
        "Local stack: Pub/Sub emulator at %s (ready in %d ms), Firestore emulator at %s (ready in"
            + " %d ms)%n",
        pubsub.hostPort(),
        pubsub.startupTime().toMillis(),
        firestore.hostPort(),
        firestore.startupTime().toMillis());
  }
}
