package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.execution.port.Ledger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The front door: decode → validate → idempotency claim (which creates the job) → decision. Pure
 * apart from the ledger port; it never acks or publishes itself.
 */
public final class Intake {

  public static final String REJECTED_EVENT = "command.rejected";
  public static final String REJECTION_CODE = "rejection-code";
  public static final String REJECTION_FIELD = "rejection-field";
  public static final String REJECTION_MESSAGE = "rejection-message";

  /** Code of a command the intake dead-lettered itself after its last allowed delivery failed. */
  public static final String DELIVERY_ATTEMPTS_EXHAUSTED = "DELIVERY_ATTEMPTS_EXHAUSTED";

  /** Dead-letter attribute: the Pub/Sub message id of the command as first published. */
  public static final String ORIGINAL_MESSAGE_ID = "original-message-id";

  /** Dead-letter attribute: the command's ordering key (the DLQ topic is not ordered). */
  public static final String ORIGINAL_ORDERING_KEY = "original-ordering-key";

  /** Dead-letter attribute: when the command was first published (its first delivery). */
  public static final String ORIGINAL_PUBLISH_TIME = "original-publish-time";

  /** Dead-letter attribute: deliveries of the command before it was dead-lettered. */
  public static final String DELIVERY_ATTEMPTS = "delivery-attempts";

  /** Dead-letter attribute: when the intake dead-lettered the command. */
  public static final String DEAD_LETTERED_AT = "dead-lettered-at";

  /** Attribute of a command republished from the DLQ: how often it was replayed. */
  public static final String REPLAY_COUNT = "replay-count";

  private final CommandDecoder decoder;
  private final Ledger ledger;
  private final EventFactory events;
  private final String owner;
  private final Clock clock;

  public Intake(
      CommandDecoder decoder, Ledger ledger, EventFactory events, String owner, Clock clock) {
    this.decoder = decoder;
    this.ledger = ledger;
    this.events = events;
    this.owner = owner;
    this.clock = clock;
  }

  /** One message to take in. */
  public record Incoming(
      String messageId, Map<String, String> attributes, byte[] data, String orderingKey) {}

  /**
   * Decides for many messages at once, claiming all their commands in one ledger transaction.
   * Throws {@link LedgerUnavailableException} when the ledger cannot be reached.
   */
  public List<IntakeDecision> handleAll(List<Incoming> messages) {
    List<IntakeDecision> decisions = new ArrayList<>(Collections.nCopies(messages.size(), null));
    List<CommandEnvelope> accepted = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Incoming m = messages.get(i);
      DecodeResult decoded = decoder.decode(m.attributes(), m.data(), m.orderingKey());
      if (decoded instanceof DecodeResult.Rejected rejected) {
        decisions.set(
            i, reject(m.messageId(), m.attributes(), m.orderingKey(), rejected.rejection(), null));
      } else {
        accepted.add(((DecodeResult.Accepted) decoded).envelope());
        positions.add(i);
      }
    }
    if (!accepted.isEmpty()) {
      List<ClaimResult> claims = ledger.claimAll(accepted, clock.instant());
      for (int j = 0; j < claims.size(); j++) {
        Incoming m = messages.get(positions.get(j));
        decisions.set(
            positions.get(j),
            decide(m.messageId(), m.attributes(), m.orderingKey(), accepted.get(j), claims.get(j)));
      }
    }
    return decisions;
  }

  /**
   * Decides what to do with one message. Throws {@link LedgerUnavailableException} when the ledger
   * cannot be reached: the caller nacks and the message comes back.
   */
  public IntakeDecision handle(
      String messageId, Map<String, String> attributes, byte[] data, String orderingKey) {
    DecodeResult decoded = decoder.decode(attributes, data, orderingKey);
    if (decoded instanceof DecodeResult.Rejected rejected) {
      return reject(messageId, attributes, orderingKey, rejected.rejection(), null);
    }
    CommandEnvelope envelope = ((DecodeResult.Accepted) decoded).envelope();
    return decide(
        messageId, attributes, orderingKey, envelope, ledger.claim(envelope, clock.instant()));
  }

  private IntakeDecision decide(
      String messageId,
      Map<String, String> attributes,
      String orderingKey,
      CommandEnvelope envelope,
      ClaimResult claim) {
    if (claim instanceof ClaimResult.Claimed c) {
      return new IntakeDecision.Enqueued(c.job());
    }
    if (claim instanceof ClaimResult.InFlight f) {
      return new IntakeDecision.AlreadyInFlight(f.jobId());
    }
    if (claim instanceof ClaimResult.Finished f) {
      return new IntakeDecision.Republish(f.terminalEvent());
    }
    return reject(
        messageId,
        attributes,
        orderingKey,
        new Rejection(
            RejectionCode.IDEMPOTENCY_KEY_REUSED,
            CommandDecoder.IDEMPOTENCY_KEY,
            "idempotency key '"
                + envelope.idempotencyKey()
                + "' was already used for a different "
                + envelope.type().ceType()
                + " payload (job "
                + ((ClaimResult.Conflict) claim).jobId()
                + ")"),
        envelope);
  }

  private IntakeDecision reject(
      String messageId,
      Map<String, String> attributes,
      String orderingKey,
      Rejection rejection,
      CommandEnvelope envelope) {
    Map<String, String> attrs = attributes == null ? Map.of() : attributes;
    Map<String, String> dlq = new LinkedHashMap<>(attrs);
    dlq.put(REJECTION_CODE, rejection.code().name());
    dlq.put(REJECTION_FIELD, rejection.field());
    dlq.put(REJECTION_MESSAGE, rejection.message());
    dlq.put(ORIGINAL_MESSAGE_ID, messageId);
    if (orderingKey != null && !orderingKey.isEmpty()) {
      dlq.put(ORIGINAL_ORDERING_KEY, orderingKey);
    }
    dlq.put(DEAD_LETTERED_AT, clock.instant().toString());
    String commandId = attrs.get(CommandDecoder.ID);
    String org =
        envelope != null ? envelope.command().org().map(OrgSlug::value).orElse(null) : null;
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", rejection.code().name());
    data.put("field", rejection.field());
    data.put("message", rejection.message());
    data.put("command_type", attrs.get(CommandDecoder.TYPE));
    data.put("command_id", commandId);
    data.put("message_id", messageId);
    // Same message rejected twice (redelivered before its ack) → same event id, so consumers
    // see one rejection.
    OutboxEvent event =
        events.event(
            EventFactory.digest("rejected|" + messageId + "|" + rejection.code()),
            REJECTED_EVENT,
            org,
            commandId,
            attrs.get(CommandDecoder.IDEMPOTENCY_KEY),
            data,
            clock.instant());
    return new IntakeDecision.Reject(rejection, dlq, event);
  }
}
