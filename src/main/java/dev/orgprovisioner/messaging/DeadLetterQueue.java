package dev.orgprovisioner.messaging;

import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.execution.Intake;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * Operations on the dead-letter subscription, shared by the ops CLI and the admin API: browse it
 * without consuming (pull, then hand every message back at once with an ack deadline of 0) and
 * replay selected commands to the commands topic, acking each dead letter only after its
 * republication was accepted.
 */
public final class DeadLetterQueue implements AutoCloseable {

  /** Reason of a command that Pub/Sub itself dead-lettered after its maximum delivery attempts. */
  public static final String MAX_DELIVERY_ATTEMPTS = "MAX_DELIVERY_ATTEMPTS";

  /** Prefix of the attributes Pub/Sub adds when it dead-letters a message. */
  public static final String PUBSUB_DEAD_LETTER_PREFIX = "CloudPubSubDeadLetter";

  static final String PUBSUB_DELIVERY_COUNT = "CloudPubSubDeadLetterSourceDeliveryCount";
  static final String PUBSUB_PUBLISH_TIME = "CloudPubSubDeadLetterSourceTopicPublishTime";

  /** Attributes the intake adds when it dead-letters; a replay drops them with Pub/Sub's own. */
  private static final Set<String> DEAD_LETTER_STAMPS =
      Set.of(
          Intake.REJECTION_CODE,
          Intake.REJECTION_FIELD,
          Intake.REJECTION_MESSAGE,
          Intake.ORIGINAL_MESSAGE_ID,
          Intake.ORIGINAL_ORDERING_KEY,
          Intake.ORIGINAL_PUBLISH_TIME,
          Intake.DELIVERY_ATTEMPTS,
          Intake.DEAD_LETTERED_AT);

  private static final int PAGE = 500;
  private static final int HOLD_SECONDS = 60;

  /** Which dead letters an operation selects; null fields match anything. */
  public record Filter(String type, String org, String reason) {

    public static final Filter ALL = new Filter(null, null, null);

    boolean matches(DeadLetter d) {
      return (type == null || type.equals(d.type()))
          && (org == null || org.equals(d.org()))
          && (reason == null || reason.equalsIgnoreCase(d.reason()));
    }
  }

  /**
   * One dead-lettered command as operations see it.
   *
   * @param reason the rejection code, {@code DELIVERY_ATTEMPTS_EXHAUSTED} (the intake gave up) or
   *     {@code MAX_DELIVERY_ATTEMPTS} (Pub/Sub's dead-letter policy moved it)
   * @param rejected true when the intake found the command invalid (not retried, not replayed
   *     unless asked for)
   * @param attempts the delivery on which it was dead-lettered (1 for a rejection); null when
   *     Pub/Sub did not report it (a subscription without a dead-letter policy)
   * @param firstFailureAt when its first delivery failed: the original publish time for exhausted
   *     commands, the rejection time for rejected ones
   * @param envelopedAttributes original attributes that did not fit Pub/Sub's limits next to the
   *     dead-letter ones and travel in the message body ({@code dlq-envelope: v1}); 0 for none
   */
  public record DeadLetter(
      String messageId,
      String type,
      String org,
      String reason,
      boolean rejected,
      Integer attempts,
      Instant firstFailureAt,
      Instant deadLetteredAt,
      int replayCount,
      String commandId,
      String idempotencyKey,
      String field,
      String detail,
      int envelopedAttributes) {}

  /** A command republished (or, in a dry run, one that would be). */
  public record Replayed(DeadLetter deadLetter, String newMessageId) {}

  /**
   * What a replay did.
   *
   * @param skippedRejected rejected commands that matched but were left in the DLQ
   * @param error why the replay stopped early (a publish failed; that message stays), else null
   */
  public record ReplayReport(
      boolean dryRun,
      int examined,
      List<Replayed> replayed,
      List<DeadLetter> skippedRejected,
      String error) {

    public boolean ok() {
      return error == null;
    }
  }

  private final PubSubTransport transport;
  private final boolean ownsTransport;
  private final SubscriptionAdminClient subscriptions;
  private final String subscription;
  private final TopicName commandsTopic;

  /** On a transport the caller keeps and closes. */
  public DeadLetterQueue(
      PubSubTransport transport, String projectId, String dlqSubscription, String commandsTopic) {
    this(transport, false, projectId, dlqSubscription, commandsTopic);
  }

  /** On a transport of its own (closed with it): the emulator at host:port, or Google Cloud. */
  public static DeadLetterQueue open(
      java.util.Optional<String> emulatorHost,
      String projectId,
      String dlqSubscription,
      String commandsTopic) {
    return new DeadLetterQueue(
        PubSubTransport.create(emulatorHost), true, projectId, dlqSubscription, commandsTopic);
  }

  private DeadLetterQueue(
      PubSubTransport transport,
      boolean ownsTransport,
      String projectId,
      String dlqSubscription,
      String commandsTopic) {
    this.transport = transport;
    this.ownsTransport = ownsTransport;
    this.subscriptions = transport.subscriptionAdmin();
    this.subscription = ProjectSubscriptionName.of(projectId, dlqSubscription).toString();
    this.commandsTopic = TopicName.of(projectId, commandsTopic);
  }

  /**
   * Up to {@code limit} dead letters matching the filter, oldest first. Nothing is consumed: every
   * pulled message is handed back before this returns.
   */
  public List<DeadLetter> list(Filter filter, int limit) {
    Held held = new Held();
    try {
      List<DeadLetter> out = new ArrayList<>();
      for (List<ReceivedMessage> page = held.pull(); !page.isEmpty(); page = held.pull()) {
        for (ReceivedMessage m : page) {
          DeadLetter d = DeadLetterReader.describe(m);
          if (filter.matches(d)) {
            out.add(d);
          }
        }
      }
      out.sort(Comparator.comparing(DeadLetter::deadLetteredAt));
      return out.size() > limit ? out.subList(0, limit) : out;
    } finally {
      held.releaseAll();
    }
  }

  /**
   * Republishes up to {@code count} matching commands to the commands topic with their original
   * data and attributes (minus the dead-letter attributes, plus {@code replay-count}); each dead
   * letter is acked only after its publication succeeded. Rejected commands are skipped unless
   * {@code includeRejected}. A dry run publishes and acks nothing. Stops at the first failed
   * publication (that message and all not yet replayed stay in the DLQ). Dead letters that arrive
   * while it runs (a replayed command rejected again, say) stay for the next replay: taking them at
   * once would replay the same command over and over until {@code count} is reached.
   *
   * @param progress told the number replayed so far after each one
   */
  public ReplayReport replay(
      Filter filter, int count, boolean includeRejected, boolean dryRun, IntConsumer progress) {
    Instant started = Instant.now();
    Held held = new Held();
    List<Replayed> replayed = new ArrayList<>();
    List<DeadLetter> skipped = new ArrayList<>();
    String error = null;
    Publisher publisher = dryRun ? null : publisher();
    try {
      outer:
      for (List<ReceivedMessage> page = held.pull(); !page.isEmpty(); page = held.pull()) {
        for (ReceivedMessage m : page) {
          if (replayed.size() >= count) {
            break outer;
          }
          DeadLetter d = DeadLetterReader.describe(m);
          if (!filter.matches(d) || arrivedSince(m, started)) {
            continue;
          }
          if (d.rejected() && !includeRejected) {
            skipped.add(d);
            continue;
          }
          if (dryRun) {
            replayed.add(new Replayed(d, null));
            continue;
          }
          try {
            String id = publish(publisher, m.getMessage(), d);
            held.ack(m);
            replayed.add(new Replayed(d, id));
            progress.accept(replayed.size());
          } catch (RuntimeException e) {
            error = "republishing dead letter " + d.messageId() + " failed: " + e.getMessage();
            break outer;
          }
        }
        held.extendIfDue();
      }
    } finally {
      held.releaseAll();
      if (publisher != null) {
        publisher.shutdown();
        try {
          publisher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return new ReplayReport(dryRun, held.seen(), replayed, skipped, error);
  }

  private static boolean arrivedSince(ReceivedMessage m, Instant started) {
    var at = m.getMessage().getPublishTime();
    return !Instant.ofEpochSecond(at.getSeconds(), at.getNanos()).isBefore(started);
  }

  private Publisher publisher() {
    try {
      return transport.orderedPublisher(commandsTopic).build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a publisher for " + commandsTopic, e);
    }
  }

  private String publish(Publisher publisher, PubsubMessage original, DeadLetter d) {
    // An envelope that cannot be read stops the replay rather than publish the envelope itself.
    DeadLetterMessage.Restored restored =
        DeadLetterMessage.restore(original.getData().toByteArray(), original.getAttributesMap());
    Map<String, String> attributes = new LinkedHashMap<>();
    restored
        .published()
        .forEach(
            (k, v) -> {
              if (!k.startsWith(PUBSUB_DEAD_LETTER_PREFIX) && !DEAD_LETTER_STAMPS.contains(k)) {
                attributes.put(k, v);
              }
            });
    attributes.putAll(restored.moved()); // the originals a stamp displaced included
    if (attributes.containsKey(Intake.REPLAY_COUNT)
        || attributes.size() < dev.orgprovisioner.command.MessageLimits.MAX_ATTRIBUTES) {
      attributes.put(Intake.REPLAY_COUNT, Integer.toString(d.replayCount() + 1));
    }
    PubsubMessage.Builder message =
        PubsubMessage.newBuilder()
            .setData(com.google.protobuf.ByteString.copyFrom(restored.data()))
            .putAllAttributes(attributes);
    String orderingKey = orderingKey(original, d);
    if (orderingKey != null) {
      message.setOrderingKey(orderingKey);
    }
    try {
      return publisher.publish(message.build()).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Pub/Sub did not accept it within 30 s", e);
    }
  }

  /** The dead letter's original ordering key: recorded by the intake, else the org slug. */
  private static String orderingKey(PubsubMessage original, DeadLetter d) {
    String recorded = original.getAttributesMap().get(Intake.ORIGINAL_ORDERING_KEY);
    if (recorded != null && !recorded.isEmpty()) {
      return recorded;
    }
    if (!original.getOrderingKey().isEmpty()) {
      return original.getOrderingKey();
    }
    return d.org();
  }

  /**
   * Messages pulled and still leased to this operation. Each is either acked (replayed) or handed
   * back with an ack deadline of 0 at the end; until then they are held so a later pull returns the
   * rest of the subscription rather than the same messages again.
   */
  private final class Held {
    private final Map<String, List<String>> ackIds = new LinkedHashMap<>();
    private long lastExtension = System.nanoTime();
    private int emptyPulls;

    int seen() {
      return ackIds.size();
    }

    /** The next page of messages not seen before; empty when the subscription has no more. */
    @SuppressWarnings("deprecation") // returnImmediately: without it an empty pull blocks ~60 s.
    List<ReceivedMessage> pull() {
      while (true) {
        List<ReceivedMessage> page =
            subscriptions
                .pull(
                    PullRequest.newBuilder()
                        .setSubscription(subscription)
                        .setMaxMessages(PAGE)
                        .setReturnImmediately(true)
                        .build())
                .getReceivedMessagesList();
        List<ReceivedMessage> fresh = new ArrayList<>();
        for (ReceivedMessage m : page) {
          List<String> ids =
              ackIds.computeIfAbsent(m.getMessage().getMessageId(), k -> new ArrayList<>());
          ids.add(m.getAckId());
          if (ids.size() == 1) {
            fresh.add(m);
          }
        }
        if (!fresh.isEmpty()) {
          emptyPulls = 0;
          return fresh;
        }
        // Real Pub/Sub may answer an immediate pull with nothing while messages remain: try a
        // few times before concluding the subscription is drained.
        if (page.isEmpty() && ++emptyPulls < 3) {
          continue;
        }
        return List.of();
      }
    }

    void ack(ReceivedMessage m) {
      List<String> ids = ackIds.get(m.getMessage().getMessageId());
      subscriptions.acknowledge(
          AcknowledgeRequest.newBuilder().setSubscription(subscription).addAllAckIds(ids).build());
      ids.clear();
    }

    /** Keeps held messages leased through a long replay. */
    void extendIfDue() {
      if (System.nanoTime() - lastExtension > TimeUnit.SECONDS.toNanos(HOLD_SECONDS / 3)) {
        modify(HOLD_SECONDS);
        lastExtension = System.nanoTime();
      }
    }

    void releaseAll() {
      modify(0);
    }

    private void modify(int seconds) {
      List<String> all = ackIds.values().stream().flatMap(List::stream).toList();
      for (int i = 0; i < all.size(); i += PAGE) {
        subscriptions.modifyAckDeadline(
            ModifyAckDeadlineRequest.newBuilder()
                .setSubscription(subscription)
                .setAckDeadlineSeconds(seconds)
                .addAllAckIds(all.subList(i, Math.min(i + PAGE, all.size())))
                .build());
      }
    }
  }

  @Override
  public void close() {
    subscriptions.close();
    if (ownsTransport) {
      transport.close();
    }
  }
}
