package dev.orgprovisioner.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The intake batcher's threads: started by waiting messages, ended by idleness, none lost. */
class IntakeBatcherThreadsTest {

  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          IntakeBatcherThreadsTest.class.getClassLoader(),
          CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  private static Intake intake() {
    return new Intake(
        DECODER,
        new Submission(
            LedgerFixtures.inMemory(Duration.ofSeconds(30)),
            new EventFactory("//tests"),
            Clock.systemUTC(),
            job -> {}));
  }

  private static Intake.Incoming onboard(String org) {
    return new Intake.Incoming(
        "msg-" + org,
        MalformedCommands.onboardAttributes("id-" + org),
        MalformedCommands.json(MalformedCommands.onboardData(org)),
        org);
  }

  private static void awaitNoThreads(IntakeBatcher batcher) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (batcher.threadsAlive() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  @Test
  void anIdleBatcherHoldsNoThread_andTheThreadsAMessageStartedEndAfterTheKeepAlive()
      throws Exception {
    try (IntakeBatcher batcher =
        new IntakeBatcher(intake(), 100, Duration.ofSeconds(5), 4, Duration.ofMillis(50))) {
      assertThat(batcher.threadsAlive()).isZero();

      assertThat(batcher.submit(onboard("first_org")).get(10, TimeUnit.SECONDS))
          .isInstanceOf(IntakeDecision.Enqueued.class);
      assertThat(batcher.threadsAlive()).isBetween(0, 1);
      awaitNoThreads(batcher);
      assertThat(batcher.threadsAlive()).isZero();

      // After the threads ended, a new message starts one again and is decided.
      assertThat(batcher.submit(onboard("second_org")).get(10, TimeUnit.SECONDS))
          .isInstanceOf(IntakeDecision.Enqueued.class);
    }
  }

  @Test
  void messagesSubmittedWhileThreadsStartAndEnd_areEachDecidedOnce_underSeededSchedules()
      throws Exception {
    for (long seed = 1; seed <= 25; seed++) {
      Random random = new Random(seed);
      int threadCount = 1 + random.nextInt(3);
      int submitters = 2 + random.nextInt(3);
      int perSubmitter = 20 + random.nextInt(30);
      // A keep-alive of 1 ms ends threads between most messages: the race with submit is hot.
      try (IntakeBatcher batcher =
          new IntakeBatcher(
              intake(),
              1 + random.nextInt(8),
              Duration.ofSeconds(5),
              threadCount,
              Duration.ofMillis(1))) {
        // Widens the window between a loop's last empty poll and its counting out.
        long[] windows = random.longs(64, 0, 200_000).toArray();
        AtomicInteger turn = new AtomicInteger();
        batcher.foundEmpty = () -> LockSupport.parkNanos(windows[turn.getAndIncrement() & 63]);
        List<CompletableFuture<IntakeDecision>> results = new ArrayList<>();
        AtomicInteger mostThreads = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
          long[] pauses = random.longs(perSubmitter, 0, 300_000).toArray();
          String prefix = "seed" + seed + "_s" + s + "_";
          Thread t =
              new Thread(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < pauses.length; i++) {
                      LockSupport.parkNanos(pauses[i]);
                      CompletableFuture<IntakeDecision> r = batcher.submit(onboard(prefix + i));
                      synchronized (results) {
                        results.add(r);
                      }
                      mostThreads.accumulateAndGet(batcher.threadsAlive(), Math::max);
                    }
                  });
          t.start();
          threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
          t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(results).as("seed %d", seed).hasSize(submitters * perSubmitter);
        for (CompletableFuture<IntakeDecision> r : results) {
          assertThat(r.get(10, TimeUnit.SECONDS))
              .as("seed %d", seed)
              .isInstanceOf(IntakeDecision.Enqueued.class);
        }
        assertThat(mostThreads.get()).as("seed %d", seed).isLessThanOrEqualTo(threadCount);
      }
    }
  }

  @Test
  void aMessageSubmittedAfterClose_failsSoItIsNackedAndRedelivered() {
    IntakeBatcher batcher = new IntakeBatcher(intake(), 100, Duration.ofSeconds(5), 2);
    batcher.close();

    assertThatThrownBy(() -> batcher.submit(onboard("late_org")).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("shutting down");
    assertThat(batcher.threadsAlive()).isZero();
  }
}
