package dev.orgprovisioner.bench;

import dev.orgprovisioner.testing.SharedEmulators;
import java.time.Duration;

/** CPU time so far of the shared emulators (each process with its children), in milliseconds. */
record EmulatorCpu(long pubSubMs, long firestoreMs) {

  static EmulatorCpu now() {
    return new EmulatorCpu(
        ms(SharedEmulators.pubSub().processHandle()),
        ms(SharedEmulators.firestore().processHandle()));
  }

  EmulatorCpu minus(EmulatorCpu start) {
    return new EmulatorCpu(pubSubMs - start.pubSubMs, firestoreMs - start.firestoreMs);
  }

  private static long ms(ProcessHandle process) {
    return own(process) + process.descendants().mapToLong(EmulatorCpu::own).sum();
  }

  private static long own(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
  }
}
