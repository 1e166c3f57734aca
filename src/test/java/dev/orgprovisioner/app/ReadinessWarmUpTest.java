package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ReadinessWarmUpTest {

  @Test
  void eachCheckIsBuiltAndCalledOnAThreadOfItsOwn_atTheSameTime() throws Exception {
    Map<String, String> calledOn = new ConcurrentHashMap<>();
    CountDownLatch bothRunning = new CountDownLatch(2);
    Supplier<HealthCheck> ledger = () -> waitingCheck("ledger", calledOn, bothRunning);
    Supplier<HealthCheck> warehouse = () -> waitingCheck("warehouse", calledOn, bothRunning);

    List<Thread> threads = ReadinessWarmUp.start(List.of(ledger, warehouse));

    // Each check waits until the other runs too: one after the other, neither would finish.
    await().atMost(Duration.ofSeconds(10)).until(() -> calledOn.size() == 2);
    assertThat(calledOn.values())
        .doesNotHaveDuplicates()
        .allMatch(name -> name.startsWith("readiness-warm-up-"));
    assertThat(threads).allMatch(Thread::isDaemon);
  }

  @Test
  void aCheckThatFailsToBuild_doesNotStopTheOthers() {
    Map<String, String> calledOn = new ConcurrentHashMap<>();
    Supplier<HealthCheck> broken =
        () -> {
          throw new IllegalStateException("ledger unreachable");
        };
    Supplier<HealthCheck> warehouse =
        () -> waitingCheck("warehouse", calledOn, new CountDownLatch(0));

    List<Thread> threads = ReadinessWarmUp.start(List.of(broken, warehouse));

    await().atMost(Duration.ofSeconds(10)).until(() -> threads.stream().noneMatch(Thread::isAlive));
    assertThat(calledOn).containsOnlyKeys("warehouse");
  }

  private static HealthCheck waitingCheck(
      String name, Map<String, String> calledOn, CountDownLatch bothRunning) {
    return () -> {
      bothRunning.countDown();
      try {
        if (bothRunning.await(10, TimeUnit.SECONDS)) {
          calledOn.put(name, Thread.currentThread().getName());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return HealthCheckResponse.up(name);
    };
  }
}
