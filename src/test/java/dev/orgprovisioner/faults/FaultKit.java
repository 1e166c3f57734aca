package dev.orgprovisioner.faults;

import com.google.api.core.ApiFuture;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.messaging.PubSubTransport;
import dev.orgprovisioner.testing.CentralRowCounts;
import dev.orgprovisioner.testing.PubSubTestClient.Received;
import dev.orgprovisioner.testing.SharedEmulators;
import dev.orgprovisioner.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the fault tests share: commands as the frontend sends them, bulk publishing, an events tap,
 * and the check that every org has each of its central rows exactly once.
 */
final class FaultKit {

  private FaultKit() {}

  /** A fresh name prefix for one test's topics, collections and orgs. */
  static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  /**
   * A dry-run sync: a real job (audit rows; the plan, or NOT_FOUND for an org never onboarded) that
   * changes no dataset.
   */
  static PubsubMessage syncDryRun(String org, String id) {
    return message(
        Map.of(
            "ce-specversion", "1.0",
            "ce-type", "org.sync.requested",
            "ce-id", id,
            "ce-source", "//tests/faults"),
        "{\"org_slug\":\"" + org + "\",\"options\":{\"dry_run\":true}}",
        org);
  }

  /** A well-formed onboarding of {@code org}. */
  static PubsubMessage onboard(String org, String id) {
    return PubsubMessage.newBuilder()
        .putAllAttributes(MalformedCommands.onboardAttributes(id))
        .setData(ByteString.copyFrom(MalformedCommands.json(MalformedCommands.onboardData(org))))
        .setOrderingKey(org)
        .build();
  }

  static PubsubMessage message(Map<String, String> attributes, String data, String orderingKey) {
    return PubsubMessage.newBuilder()
        .putAllAttributes(attributes)
        .setData(ByteString.copyFrom(data, StandardCharsets.UTF_8))
        .setOrderingKey(orderingKey)
        .build();
  }

  /** Publishes all messages with ordering and waits until the emulator accepted each one. */
  static void publishAll(String pubSubHost, String topic, List<PubsubMessage> messages) {
    try (PubSubTransport transport = PubSubTransport.create(Optional.of(pubSubHost))) {
      Publisher publisher =
          transport
              .publisher(TopicName.of(SharedEmulators.PROJECT, topic))
              .setEnableMessageOrdering(true)
              .build();
      try {
        List<ApiFuture<String>> sent = new ArrayList<>();
        for (PubsubMessage m : messages) {
          sent.add(publisher.publish(m));
        }
        for (ApiFuture<String> f : sent) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        publisher.shutdown();
        publisher.awaitTermination(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("publishing to " + topic + " failed", e);
    }
  }

  /**
   * Every central row an onboarding writes, per org: profile, subscription, quota, API key (when
   * the command named one), three hierarchy levels, the audit entry. Returns the orgs whose counts
   * differ, with their counts, so a test can report them all before failing.
   */
  static Map<String, Map<String, Integer>> centralRowsNotOnce(
      Warehouse warehouse, List<String> orgs, boolean apiKey) {
    Map<String, Map<String, Integer>> wrong = new java.util.TreeMap<>();
    for (String org : orgs) {
      Map<String, Integer> counts = CentralRowCounts.of(warehouse, org);
      if (!counts.equals(CentralRowCounts.expected(apiKey))) {
        wrong.put(org, counts);
      }
    }
    return wrong;
  }

  /** Central rows of all orgs together, per table (for the summary line). */
  static Map<String, Integer> centralRowTotals(Warehouse warehouse, List<String> orgs) {
    Map<String, Integer> totals = new java.util.LinkedHashMap<>();
    for (String org : orgs) {
      CentralRowCounts.of(warehouse, org).forEach((t, n) -> totals.merge(t, n, Integer::sum));
    }
    return totals;
  }

  /** Prints the one-line summary every fault test ends with. */
  static void report(String test, Map<String, ?> counts, long startNanos) {
    System.out.printf(
        "FAULTS %s: %s in %.1f s%n",
        test,
        counts.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" ")),
        (System.nanoTime() - startNanos) / 1e9);
  }

  /** Counts per value of {@code key} over {@code items}. */
  static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
    return items.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
  }

  /**
   * A streaming subscriber on a subscription of the test's own: keeps every message the topic got
   * after it was created (acked), redeliveries included.
   */
  static final class Tap implements AutoCloseable {
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final PubSubTransport transport;
    private final Subscriber subscriber;

    Tap(String pubSubHost, String topic) {
      transport = PubSubTransport.create(Optional.of(pubSubHost));
      ProjectSubscriptionName name =
          ProjectSubscriptionName.of(SharedEmulators.PROJECT, unique("tap-"));
      try (SubscriptionAdminClient admin = transport.subscriptionAdmin()) {
        admin.createSubscription(
            name,
            TopicName.of(SharedEmulators.PROJECT, topic),
            PushConfig.getDefaultInstance(),
            60);
      }
      subscriber =
          transport
              .subscriber(
                  name,
                  (MessageReceiver)
                      (m, reply) -> {
                        received.add(
                            new Received(
                                m.getMessageId(),
                                m.getAttributesMap(),
                                m.getData().toStringUtf8(),
                                m.getOrderingKey()));
                        reply.ack();
                      })
              .build();
      subscriber.startAsync().awaitRunning();
    }

    List<Received> ofType(String ceType) {
      return received.stream().filter(r -> ceType.equals(r.attributes().get("ce-type"))).toList();
    }

    /** Distinct values of an attribute over the messages of one type. */
    long distinct(String ceType, String attribute) {
      return ofType(ceType).stream().map(r -> r.attributes().get(attribute)).distinct().count();
    }

    @Override
    public void close() {
      subscriber.stopAsync();
      try {
        subscriber.awaitTerminated(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // Only the test's own subscription; nothing depends on a clean stop.
      }
      transport.close();
    }
  }
}
