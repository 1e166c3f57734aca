package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.command.RejectionCode;
import java.time.Clock;
import java.util.LinkedHashMap;
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

  /**
   * Decides what to do with one message. Throws {@link LedgerUnavailableException} when the ledger
   * cannot be reached: the caller nacks and the message comes back.
   */
  public IntakeDecision handle(
      String messageId, Map<String, String> attributes, byte[] data, String orderingKey) {
    DecodeResult decoded = decoder.decode(attributes, data, orderingKey);
    if (decoded instanceof DecodeResult.Rejected rejected) {
      return reject(messageId, attributes, rejected.rejection(), null);
    }
    CommandEnvelope envelope = ((DecodeResult.Accepted) decoded).envelope();
    ClaimResult claim = ledger.claim(envelope, owner, clock.instant());
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
      Rejection rejection,
      CommandEnvelope envelope) {
    Map<String, String> attrs = attributes == null ? Map.of() : attributes;
    Map<String, String> dlq = new LinkedHashMap<>(attrs);
    dlq.put(REJECTION_CODE, rejection.code().name());
    dlq.put(REJECTION_FIELD, rejection.field());
    dlq.put(REJECTION_MESSAGE, rejection.message());
    dlq.put("original-message-id", messageId);
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
