package dev.orgprovisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A channel's client threads: bounded, ended when idle, still running what is scheduled. */
class ClientThreadsTest {

  @Test
  void manyTasksAtOnce_runOnAtMostTheChannelsThreads() throws Exception {
    try (ClientThreads threads = new ClientThreads("bounded", 2)) {
      ScheduledExecutorService executor = threads.provider().getExecutor();
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 20; i++) {
        executor.execute(
            () -> {
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              ran.incrementAndGet();
            });
      }
      assertThat(threads.alive()).isEqualTo(2);
      release.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 20);
      assertThat(threads.alive()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void idleThreadsEnd_andATaskScheduledBeyondTheKeepAliveStillRuns() {
    try (ClientThreads threads = new ClientThreads("idle", 4, Duration.ofMillis(50))) {
      ScheduledExecutorService executor = threads.provider().getExecutor();
      for (int i = 0; i < 4; i++) {
        executor.execute(() -> {});
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> threads.alive() == 0);

      CountDownLatch ran = new CountDownLatch(1);
      executor.schedule(ran::countDown, 300, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> ran.getCount() == 0);
      await().atMost(Duration.ofSeconds(10)).until(() -> threads.alive() == 0);
    }
  }

  @Test
  void theClientDoesNotShutItsThreadsDown_closeDoes() {
    ClientThreads threads = new ClientThreads("closed", 1);
    assertThat(threads.provider().shouldAutoClose()).isFalse();

    threads.close();

    assertThatThrownBy(() -> threads.provider().getExecutor().execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
