package dev.orgprovisioner.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.InstantiatingExecutorProvider;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Intake;
import dev.orgprovisioner.execution.IntakeBatcher;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.Submission;
import dev.orgprovisioner.execution.port.IdempotencyKeys;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.messaging.KeyedSerialExecutor;
import dev.orgprovisioner.messaging.PubSubTransport;
import dev.orgprovisioner.testing.SharedEmulators;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Intake throughput (decode + validate + idempotency claim with job creation in Firestore + ack)
 * against a bare subscriber that only acks, on the same emulator, topic and messages (issue 17,
 * goal 3: at least half as fast), and the CPU each spends per command.
 */
@Tag("bench")
class IntakeThroughputBenchmark {

  private static final int COMMANDS = Integer.getInteger("bench.intake.commands", 10_000);
  private static final int ORGS = Integer.getInteger("bench.intake.orgs", 1_000);
  private static final int THREADS = 8;

  /** Issue 17, goal 3: the intake at least half as fast as a subscriber that only acks. */
  private static final double GOAL = 0.5;

  /** Whether to split the intake's CPU by component with a JFR recording (costs it a little). */
  private static final boolean PROFILE = Boolean.getBoolean("bench.intake.profile");

  /** CPU time of this JVM and of the two emulator processes, in milliseconds. */
  private record Cpu(long jvmMs, EmulatorCpu emulators) {
    static Cpu now() {
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      return new Cpu(os.getProcessCpuTime() / 1_000_000, EmulatorCpu.now());
    }

    Cpu minus(Cpu start) {
      return new Cpu(jvmMs - start.jvmMs, emulators.minus(start.emulators));
    }

    long emulatorsMs() {
      return emulators.pubSubMs() + emulators.firestoreMs();
    }

    double perThousand(long ms) {
      return BenchReport.round(ms * 1000.0 / COMMANDS);
    }

    String row(String name) {
      return String.format(
          "| %s | %.0f | %.0f | %.0f |",
          name,
          perThousand(jvmMs),
          perThousand(emulators.pubSubMs()),
          perThousand(emulators.firestoreMs()));
    }
  }

  @Test
  void intakeVersusAckOnlySubscriber() throws Exception {
    String project = SharedEmulators.PROJECT;
    String topic = "bench-intake-" + UUID.randomUUID().toString().substring(0, 8);
    String bare = topic + "-bare";
    String ours = topic + "-intake";
    try (PubSubTransport transport =
            PubSubTransport.create(Optional.of(SharedEmulators.pubSub().hostPort()));
        TopicAdminClient topics = transport.topicAdmin();
        SubscriptionAdminClient subs = transport.subscriptionAdmin();
        Firestore db = SharedEmulators.firestoreClient()) {
      topics.createTopic(TopicName.of(project, topic));
      for (String s : List.of(bare, ours)) {
        subs.createSubscription(
            Subscription.newBuilder()
                .setName(ProjectSubscriptionName.of(project, s).toString())
                .setTopic(TopicName.of(project, topic).toString())
                .setEnableMessageOrdering(true)
                .setAckDeadlineSeconds(60)
                .build());
      }
      publish(transport, TopicName.of(project, topic));

      Cpu bareStart = Cpu.now();
      Drain bareDrain =
          drain(transport, ProjectSubscriptionName.of(project, bare), (m, c) -> c.ack());
      long bareMs = bareDrain.ms();
      Cpu bareCpu = Cpu.now().minus(bareStart);

      CommandDecoder decoder = CommandDecoder.fromClasspath(getClass().getClassLoader(), 64 * 1024);
      FirestoreLedger ledger = SharedEmulators.freshLedger(db, "bench", Duration.ofSeconds(60));
      AtomicLong claimCalls = new AtomicLong();
      AtomicLong claims = new AtomicLong();
      IdempotencyKeys counted =
          (envelopes, now) -> {
            claimCalls.incrementAndGet();
            claims.addAndGet(envelopes.size());
            return ledger.claimAll(envelopes, now);
          };
      Intake intake =
          new Intake(
              decoder,
              new Submission(counted, new EventFactory("//bench"), Clock.systemUTC(), job -> {}));
      AtomicInteger accepted = new AtomicInteger();
      // The same path as CommandConsumer: messages of one org one after another (the consumer's
      // keyed executor), concurrent claims of different orgs sharing one transaction.
      KeyedSerialExecutor serial = new KeyedSerialExecutor();
      Drain oursDrain;
      CpuProfile profile =
          PROFILE ? new CpuProfile(Duration.ofMillis(10), n -> false, n -> false) : null;
      if (profile != null) {
        profile.start();
      }
      Cpu oursStart = Cpu.now();
      try (IntakeBatcher batcher = new IntakeBatcher(intake, 100, Duration.ofSeconds(30), 4)) {
        oursDrain =
            drain(
                transport,
                ProjectSubscriptionName.of(project, ours),
                (m, c) ->
                    serial.submit(
                        m.getOrderingKey(),
                        () ->
                            batcher
                                .submit(
                                    new Intake.Incoming(
                                        m.getMessageId(),
                                        m.getAttributesMap(),
                                        m.getData().toByteArray(),
                                        m.getOrderingKey()))
                                .handle(
                                    (d, failure) -> {
                                      if (d instanceof IntakeDecision.Enqueued) {
                                        accepted.incrementAndGet();
                                      }
                                      if (failure == null) {
                                        c.ack();
                                      } else {
                                        c.nack();
                                      }
                                      return null;
                                    })));
      }
      Cpu oursCpu = Cpu.now().minus(oursStart);
      long oursMs = oursDrain.ms();
      List<String> split = profile == null ? List.of() : split(profile);

      double bareRate = COMMANDS * 1000.0 / bareMs;
      double oursRate = COMMANDS * 1000.0 / oursMs;
      BenchReport.section(
              "intake-throughput",
              "17.3 Intake throughput: " + COMMANDS + " commands over " + ORGS + " orgs")
          .method(
              "Commands pre-published to one topic (ordering key = org) with two ordered"
                  + " subscriptions; each drained by a StreamingPull subscriber with "
                  + THREADS
                  + " callback threads: one only acks (the baseline), the other runs the intake"
                  + " (decode, JSON Schema validation, Firestore transaction creating the"
                  + " idempotency key and the job, batched by IntakeBatcher: up to 100 claims per"
                  + " transaction, 4 transactions at once, messages of one org in order) and then"
                  + " acks. Pub/Sub and Firestore emulators on the same cores as the benchmark."
                  + " CPU per 1,000 commands: this JVM's CPU time (getProcessCpuTime) and the"
                  + " emulator processes' over each drain; it varies far less with the machine's"
                  + " load than the wall-time ratio, which a loaded machine drags down (the intake"
                  + " needs the Firestore emulator's CPU as well).")
          .param("commands", COMMANDS)
          .param("orgs", ORGS)
          .param("callback_threads", THREADS)
          .figure("ack_only_ms", bareMs)
          .figure("ack_only_per_s", Math.round(bareRate))
          .figure("intake_ms", oursMs)
          .figure("intake_per_s", Math.round(oursRate))
          .figure("jobs_created", accepted.get())
          .figure("ack_only_deliveries", bareDrain.deliveries())
          .figure("intake_deliveries", oursDrain.deliveries())
          .figure("claim_calls", claimCalls.get())
          .figure("claims_per_call", BenchReport.round(claims.get() / (double) claimCalls.get()))
          .figure("ack_only_jvm_cpu_ms_per_1000", bareCpu.perThousand(bareCpu.jvmMs()))
          .figure("ack_only_emulators_cpu_ms_per_1000", bareCpu.perThousand(bareCpu.emulatorsMs()))
          .figure("intake_jvm_cpu_ms_per_1000", oursCpu.perThousand(oursCpu.jvmMs()))
          .figure(
              "intake_pubsub_cpu_ms_per_1000", oursCpu.perThousand(oursCpu.emulators().pubSubMs()))
          .figure(
              "intake_firestore_cpu_ms_per_1000",
              oursCpu.perThousand(oursCpu.emulators().firestoreMs()))
          .ratio("intake_over_ack_only", oursRate / bareRate)
          .summary(
              "17.3",
              "intake throughput (commands/s) vs ack-only subscriber",
              Math.round(oursRate),
              Math.round(bareRate),
              oursRate / bareRate,
              Goal.ratioAtLeast(GOAL))
          .key("intake-throughput/ratio")
          .summary(
              "17.3",
              "intake CPU of the worker JVM per 1,000 commands (ms) vs ack-only subscriber",
              Math.round(oursCpu.perThousand(oursCpu.jvmMs())),
              Math.round(bareCpu.perThousand(bareCpu.jvmMs())),
              oursCpu.jvmMs() / (double) Math.max(1, bareCpu.jvmMs()))
          .key("intake-throughput/jvm-cpu")
          .lines(
              List.of(
                  "| subscriber | time (ms) | commands/s |",
                  "|---|---|---|",
                  String.format("| ack only | %d | %.0f |", bareMs, bareRate),
                  String.format("| intake | %d | %.0f |", oursMs, oursRate),
                  "",
                  String.format(
                      "Ratio intake / ack-only: %.2f (goal ≥ %.1f)", oursRate / bareRate, GOAL),
                  "",
                  "| subscriber | this JVM, CPU ms per 1,000 | Pub/Sub emulator | Firestore emulator |",
                  "|---|---|---|---|",
                  bareCpu.row("ack only"),
                  oursCpu.row("intake"),
                  "",
                  "Jobs created: " + accepted.get() + " (redelivered duplicates were recognised)",
                  String.format(
                      "Deliveries: ack only %d, intake %d (for %d commands). Claims: %d in %d"
                          + " ledger calls (%.1f per call).",
                      bareDrain.deliveries(),
                      oursDrain.deliveries(),
                      COMMANDS,
                      claims.get(),
                      claimCalls.get(),
                      claims.get() / (double) claimCalls.get())))
          .lines(split)
          .write();
      assertThat(accepted.get()).isEqualTo(COMMANDS);
    }
  }

  /** The intake drain's CPU by component (-Dbench.intake.profile=true), per 1,000 commands. */
  private static List<String> split(CpuProfile profile) {
    CpuProfile.Result r;
    try (profile) {
      r = profile.stop();
    }
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Intake CPU of this JVM by component (JFR samples, as in section 17.4):");
    lines.add("");
    lines.add("| component | CPU ms per 1,000 commands | samples |");
    lines.add("|---|---|---|");
    r.nanos()
        .forEach(
            (b, ns) ->
                lines.add(
                    String.format(
                        "| %s | %.0f | %d |",
                        b.label, ns / 1e6 * 1000 / COMMANDS, r.samples().getOrDefault(b, 0L))));
    lines.add("");
    lines.add("| bucket and thread | samples |");
    lines.add("|---|---|");
    r.samplesByThread().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(12)
        .forEach(e -> lines.add("| " + e.getKey() + " | " + e.getValue() + " |"));
    lines.add("");
    lines.add("| bucket and method on top of the stack | samples |");
    lines.add("|---|---|");
    r.samplesByLeafMethod().entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(25)
        .forEach(e -> lines.add("| " + e.getKey() + " | " + e.getValue() + " |"));
    return lines;
  }

  private void publish(PubSubTransport transport, TopicName topic) throws Exception {
    Publisher publisher = transport.publisher(topic).setEnableMessageOrdering(true).build();
    try {
      List<com.google.api.core.ApiFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < COMMANDS; i++) {
        String org = String.format("bench_org_%04d", i % ORGS);
        String data =
            "{\"org_slug\":\"" + org + "\",\"options\":{\"dry_run\":" + (i % 2 == 0) + "}}";
        futures.add(
            publisher.publish(
                PubsubMessage.newBuilder()
                    .setData(ByteString.copyFrom(data, StandardCharsets.UTF_8))
                    .putAllAttributes(
                        Map.of(
                            "ce-specversion", "1.0",
                            "ce-type", "org.sync.requested",
                            "ce-id", "bench-" + i,
                            "ce-source", "//bench"))
                    .setOrderingKey(org)
                    .build()));
      }
      for (var f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      publisher.shutdown();
      publisher.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** How long a drain took and how many deliveries it took (redeliveries included). */
  private record Drain(long ms, long deliveries) {}

  /** Runs {@code work} on every message until each distinct command has been acked once. */
  private Drain drain(PubSubTransport transport, ProjectSubscriptionName sub, MessageReceiver work)
      throws Exception {
    CountDownLatch done = new CountDownLatch(COMMANDS);
    AtomicLong deliveries = new AtomicLong();
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    MessageReceiver counting =
        (m, c) -> {
          deliveries.incrementAndGet();
          work.receiveMessage(
              m,
              new com.google.cloud.pubsub.v1.AckReplyConsumer() {
                @Override
                public void ack() {
                  c.ack();
                  if (seen.add(m.getAttributesMap().get("ce-id"))) {
                    done.countDown();
                  }
                }

                @Override
                public void nack() {
                  c.nack();
                }
              });
        };
    Subscriber subscriber =
        transport
            .subscriber(sub, counting)
            .setExecutorProvider(
                InstantiatingExecutorProvider.newBuilder().setExecutorThreadCount(THREADS).build())
            .build();
    long start = System.nanoTime();
    subscriber.startAsync().awaitRunning();
    boolean finished = done.await(10, TimeUnit.MINUTES);
    long ms = (System.nanoTime() - start) / 1_000_000;
    subscriber.stopAsync().awaitTerminated(30, TimeUnit.SECONDS);
    assertThat(finished).as("all messages handled").isTrue();
    return new Drain(ms, deliveries.get());
  }
}
