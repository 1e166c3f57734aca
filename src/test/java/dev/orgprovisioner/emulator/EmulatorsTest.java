package dev.orgprovisioner.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorsTest {

  private static final String PROJECT = "test-project";

  @TempDir Path tmp;

  @Test
  void pubSubEmulator_deliversAPublishedMessage() throws Exception {
    EmulatorProcess pubsub = Emulators.startPubSub();
    try {
      assertThat(pubsub.hostPort()).isEqualTo("127.0.0.1:" + pubsub.port());
      assertThat(pubsub.processHandle().info().arguments().orElseThrow())
          .as("the JVM options of " + Emulators.JAVA_OPTIONS_PROPERTY)
          .contains(Emulators.javaOptions().toArray(String[]::new));
      ManagedChannel channel =
          ManagedChannelBuilder.forTarget(pubsub.hostPort()).usePlaintext().build();
      TransportChannelProvider channels =
          FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
      CredentialsProvider noCredentials = NoCredentialsProvider.create();
      TopicName topic = TopicName.of(PROJECT, "emulator-check");
      SubscriptionName subscription = SubscriptionName.of(PROJECT, "emulator-check-sub");
      try (TopicAdminClient topics =
              TopicAdminClient.create(
                  TopicAdminSettings.newBuilder()
                      .setTransportChannelProvider(channels)
                      .setCredentialsProvider(noCredentials)
                      .build());
          SubscriptionAdminClient subscriptions =
              SubscriptionAdminClient.create(
                  SubscriptionAdminSettings.newBuilder()
                      .setTransportChannelProvider(channels)
                      .setCredentialsProvider(noCredentials)
                      .build())) {
        topics.createTopic(topic);
        subscriptions.createSubscription(subscription, topic, PushConfig.getDefaultInstance(), 10);

        Publisher publisher =
            Publisher.newBuilder(topic)
                .setChannelProvider(channels)
                .setCredentialsProvider(noCredentials)
                .build();
        String messageId;
        try {
          messageId =
              publisher
                  .publish(
                      PubsubMessage.newBuilder()
                          .setData(ByteString.copyFromUtf8("hello"))
                          .putAttributes("kind", "check")
                          .build())
                  .get(10, TimeUnit.SECONDS);
        } finally {
          publisher.shutdown();
          publisher.awaitTermination(10, TimeUnit.SECONDS);
        }

        List<ReceivedMessage> received =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> pullNow(subscriptions, subscription), messages -> !messages.isEmpty());
        assertThat(received).hasSize(1);
        PubsubMessage message = received.get(0).getMessage();
        assertThat(message.getMessageId()).isEqualTo(messageId);
        assertThat(message.getData().toStringUtf8()).isEqualTo("hello");
        assertThat(message.getAttributesMap()).containsEntry("kind", "check");
        subscriptions.acknowledge(subscription, List.of(received.get(0).getAckId()));
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    } finally {
      stopAndAssertGone(pubsub);
    }
    assertThat(Files.readString(pubsub.logFile())).contains("Server started, listening on");
  }

  @Test
  void firestoreEmulator_storesAndReadsADocument_andRestartsEmptyOnTheSamePort() throws Exception {
    // One test for both: a Firestore emulator start is the costliest thing this class does.
    EmulatorProcess first = Emulators.startFirestore();
    int port = first.port();
    EmulatorProcess second = null;
    try {
      assertThat(first.processHandle().descendants()).as("the script's Java child").isNotEmpty();
      try (Firestore db = firestore(first)) {
        DocumentReference doc = db.collection("orgs").document("acme");
        doc.set(Map.of("name", "Acme", "seats", 12L)).get(60, TimeUnit.SECONDS);

        Map<String, Object> read = doc.get().get(60, TimeUnit.SECONDS).getData();

        assertThat(read).containsEntry("name", "Acme").containsEntry("seats", 12L);
      }
      stopAndAssertGone(first);

      second = Emulators.startFirestore(port);

      assertThat(second.port()).isEqualTo(port);
      try (Firestore db = firestore(second)) {
        assertThat(db.collection("orgs").document("acme").get().get(10, TimeUnit.SECONDS).exists())
            .as("the emulator keeps data in memory only")
            .isFalse();
        db.collection("orgs").document("acme").set(Map.of("n", 2L)).get(10, TimeUnit.SECONDS);
      }
    } finally {
      first.stop();
      if (second != null) {
        stopAndAssertGone(second);
      }
    }
  }

  @Test
  void restart_replacesTheEmulatorOnTheSamePort() {
    EmulatorProcess first = Emulators.startPubSub();
    EmulatorProcess second = null;
    try {
      second = first.restart();

      assertThat(first.isAlive()).isFalse();
      assertThat(second.isAlive()).isTrue();
      assertThat(second.hostPort()).isEqualTo(first.hostPort());
      assertThat(second.processHandle().pid()).isNotEqualTo(first.processHandle().pid());
    } finally {
      first.stop();
      if (second != null) {
        stopAndAssertGone(second);
      }
    }
  }

  @Test
  void emulatorThatNeverGetsReady_failsWithItsLastOutputAndIsStopped() {
    int port = Emulators.freePort();
    // The fractional sleep makes the command line unique to this test run.
    String sleep = "sleep 600." + port;
    EmulatorProcess.Launch launch =
        new EmulatorProcess.Launch(
            "never-ready",
            port,
            List.of("bash", "-c", "echo booting; echo still booting >&2; " + sleep + " & wait"),
            Map.of(),
            line -> line.equals("READY"),
            Duration.ofSeconds(2));

    assertThatThrownBy(() -> EmulatorProcess.start(launch, unused -> null))
        .isInstanceOf(EmulatorException.class)
        .hasMessageContaining("did not print its ready line within 2 s")
        .hasMessageContaining("booting")
        .hasMessageContaining("still booting")
        .hasMessageContaining("never-ready-" + launch.port() + ".log");
    assertThat(processesRunning(sleep)).isEmpty();
  }

  @Test
  void emulatorThatExitsEarly_failsFastWithItsExitCode() {
    EmulatorProcess.Launch launch =
        new EmulatorProcess.Launch(
            "exits-early",
            Emulators.freePort(),
            List.of("bash", "-c", "echo boom; exit 3"),
            Map.of(),
            line -> line.equals("READY"),
            Duration.ofSeconds(30));

    long started = System.nanoTime();
    assertThatThrownBy(() -> EmulatorProcess.start(launch, unused -> null))
        .isInstanceOfSatisfying(EmulatorException.class, e -> assertThat(e.portInUse()).isFalse())
        .hasMessageContaining("exited before it was ready (exit code 3)")
        .hasMessageContaining("boom");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void pubSubEmulatorOnABusyPort_failsFastSayingSo() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName(Emulators.HOST))) {
      long started = System.nanoTime();

      assertThatThrownBy(() -> Emulators.startPubSub(busy.getLocalPort()))
          .isInstanceOfSatisfying(EmulatorException.class, e -> assertThat(e.portInUse()).isTrue())
          .hasMessageContaining("could not listen: its port is in use")
          .hasMessageContaining("Address already in use");
      // The emulator hangs rather than exits on this error: the launcher must not wait 30 s.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
      assertThat(processesRunning("--port=" + busy.getLocalPort())).isEmpty();
    }
  }

  @Test
  void missingSdk_namesEverythingTriedAndHowToInstall() throws IOException {
    Path withoutEmulator = Files.createDirectories(tmp.resolve("sdk"));

    assertThatThrownBy(
            () ->
                GcloudSdk.rootContaining(
                    Emulators.PUBSUB_COMPONENT,
                    null,
                    null,
                    () -> GcloudSdk.GcloudInfo.failed("gcloud not runnable: not on PATH"),
                    List.of(withoutEmulator, tmp.resolve("absent"))))
        .isInstanceOf(EmulatorException.class)
        .hasMessageContaining("gcloud.sdk.root (not set)")
        .hasMessageContaining("CLOUDSDK_ROOT (not set)")
        .hasMessageContaining("gcloud not runnable")
        .hasMessageContaining(withoutEmulator + " (has no platform/pubsub-emulator)")
        .hasMessageContaining(tmp.resolve("absent") + " (no such directory)")
        .hasMessageContaining("gcloud components install pubsub-emulator cloud-firestore-emulator")
        .hasMessageContaining("google-cloud-cli-pubsub-emulator")
        .hasMessageContaining("google-cloud-cli-firestore-emulator");
  }

  @Test
  void explicitSdkRoot_winsOverGcloudAndTheFallbacks() throws IOException {
    Path explicit = Files.createDirectories(tmp.resolve("explicit/platform/pubsub-emulator"));
    Path fallback = Files.createDirectories(tmp.resolve("fallback/platform/pubsub-emulator"));

    Path root =
        GcloudSdk.rootContaining(
            Emulators.PUBSUB_COMPONENT,
            null,
            tmp.resolve("explicit").toString(),
            () -> {
              throw new AssertionError("gcloud must not run when the root is configured");
            },
            List.of(tmp.resolve("fallback")));

    assertThat(root).isEqualTo(tmp.resolve("explicit"));
    assertThat(explicit).exists();
    assertThat(fallback).exists();
  }

  @Test
  void javaOptions_areThePropertySplitAtWhiteSpace_orNoneWhenUnset() {
    String before = System.getProperty(Emulators.JAVA_OPTIONS_PROPERTY);
    try {
      System.setProperty(Emulators.JAVA_OPTIONS_PROPERTY, " -XX:TieredStopAtLevel=1  -Xss1m ");
      assertThat(Emulators.javaOptions()).containsExactly("-XX:TieredStopAtLevel=1", "-Xss1m");
      System.clearProperty(Emulators.JAVA_OPTIONS_PROPERTY);
      assertThat(Emulators.javaOptions()).isEmpty();
    } finally {
      if (before != null) {
        System.setProperty(Emulators.JAVA_OPTIONS_PROPERTY, before);
      }
    }
  }

  @Test
  void pubSubJar_isFoundByPatternPreferringTheNewestVersion() throws IOException {
    Path lib = Files.createDirectories(tmp.resolve("platform/pubsub-emulator/lib"));
    Files.createFile(lib.resolve("cloud-pubsub-emulator-0.8.9-all.jar"));
    Files.createFile(lib.resolve("cloud-pubsub-emulator-0.8.20-all.jar"));
    Files.createFile(lib.resolve("unrelated.jar"));

    assertThat(Emulators.pubSubJar(tmp).getFileName())
        .hasToString("cloud-pubsub-emulator-0.8.20-all.jar");
  }

  private static Firestore firestore(EmulatorProcess emulator) {
    // No setCredentials(NoCredentials): with it the client dials getHost(), the production
    // endpoint, instead of the emulator host. setEmulatorHost alone supplies emulator credentials.
    return FirestoreOptions.newBuilder()
        .setProjectId(PROJECT)
        .setEmulatorHost(emulator.hostPort())
        .build()
        .getService();
  }

  @SuppressWarnings("deprecation") // returnImmediately: otherwise an empty pull blocks ~59 s.
  private static List<ReceivedMessage> pullNow(
      SubscriptionAdminClient subscriptions, SubscriptionName subscription) {
    return subscriptions
        .pull(
            PullRequest.newBuilder()
                .setSubscription(subscription.toString())
                .setMaxMessages(10)
                .setReturnImmediately(true)
                .build())
        .getReceivedMessagesList();
  }

  private static void stopAndAssertGone(EmulatorProcess emulator) {
    ProcessHandle root = emulator.processHandle();
    List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
    all.add(root);

    emulator.stop();
    emulator.stop(); // idempotent

    assertThat(all).noneMatch(ProcessHandle::isAlive);
    assertThat(emulator.isAlive()).isFalse();
    assertRefusesConnections(emulator.port());
  }

  private static void assertRefusesConnections(int port) {
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(Emulators.HOST, port), 2_000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }

  private static List<ProcessHandle> processesRunning(String commandLineFragment) {
    // All processes, not our descendants: a survivor would have been re-parented away from us.
    return ProcessHandle.allProcesses()
        .filter(
            p -> p.info().commandLine().filter(c -> c.contains(commandLineFragment)).isPresent())
        .filter(ProcessHandle::isAlive)
        .toList();
  }
}
