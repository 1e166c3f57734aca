package dev.orgprovisioner.app;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/** Runs each readiness check once on a thread of its own as the start begins. */
@Singleton
public class ReadinessWarmUp {

  private static final Logger LOG = Logger.getLogger(ReadinessWarmUp.class);

  // Right after the checks that refuse a bad configuration: the clients the probes need (Firestore,
  // the warehouse) are built and connected in parallel while the main thread starts the rest,
  // instead of one after the other on it and then again in the first probe request.
  void onStart(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event,
      @Readiness Instance<HealthCheck> checks) {
    List<Supplier<HealthCheck>> each = new ArrayList<>();
    checks.handles().forEach(h -> each.add(h::get));
    start(each);
  }

  /** Starts one daemon thread per check; a check that fails is left to the probe to report. */
  static List<Thread> start(List<Supplier<HealthCheck>> checks) {
    List<Thread> threads = new ArrayList<>();
    for (Supplier<HealthCheck> check : checks) {
      Thread t =
          new Thread(
              () -> {
                try {
                  check.get().call();
                } catch (RuntimeException e) {
                  LOG.debugf("Readiness warm-up: %s", e.toString());
                }
              },
              "readiness-warm-up-" + threads.size());
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    return threads;
  }
}
