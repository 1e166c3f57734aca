package dev.orgprovisioner.execution;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/** Named daemon threads for the worker's pools, so thread dumps say whose thread is whose. */
public final class DaemonThreads {

  private DaemonThreads() {}

  /** Threads named {@code provisioner-<prefix>-<n>} that never keep the JVM alive. */
  public static ThreadFactory named(String prefix) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, "provisioner-" + prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
