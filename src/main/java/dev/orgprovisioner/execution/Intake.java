package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.command.TraceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The front door for messages: decode → validate → {@link Submission} (claim, decide, dispatch).
 * Pure apart from the ledger port; it never acks or publishes itself.
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
  private final Submission submission;

  public Intake(CommandDecoder decoder, Submission submission) {
    this.decoder = decoder;
    this.submission = submission;
  }

  /**
   * One message to take in.
   *
   * @param trace the context its job continues (the intake's span); null: the one the message
   *     carries, if any
   */
  public record Incoming(
      String messageId,
      Map<String, String> attributes,
      byte[] data,
      String orderingKey,
      TraceContext trace) {

    /** A message whose job continues the trace the message carries. */
    public Incoming(
        String messageId, Map<String, String> attributes, byte[] data, String orderingKey) {
      this(messageId, attributes, data, orderingKey, null);
    }
  }

  /**
   * Decides for many messages at once, claiming all their commands in one ledger transaction. A
   * message that cannot be decoded is rejected on its own; never does it fail the others. Throws
   * what {@link Submission#submitAll} throws: the caller retries (unavailable) or splits the batch.
   */
  public List<IntakeDecision> handleAll(List<Incoming> messages) {
    List<IntakeDecision> decisions = new ArrayList<>(Collections.nCopies(messages.size(), null));
    List<Submission.Submitted> accepted = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      Incoming m = messages.get(i);
      DecodeResult decoded = decode(m);
      TraceContext trace =
          m.trace() != null ? m.trace() : TraceContext.from(m.attributes()).orElse(null);
      if (decoded instanceof DecodeResult.Rejected rejected) {
        decisions.set(
            i, submission.reject(m.messageId(), m.attributes(), rejected.rejection(), null, trace));
      } else {
        accepted.add(
            new Submission.Submitted(
                ((DecodeResult.Accepted) decoded).envelope().withTrace(trace),
                m.messageId(),
                m.attributes()));
        positions.add(i);
      }
    }
    List<IntakeDecision> submitted = submission.submitAll(accepted);
    for (int j = 0; j < submitted.size(); j++) {
      decisions.set(positions.get(j), submitted.get(j));
    }
    return decisions;
  }

  /** Decides for one message; see {@link #handleAll}. */
  public IntakeDecision handle(
      String messageId, Map<String, String> attributes, byte[] data, String orderingKey) {
    return handleAll(List.of(new Incoming(messageId, attributes, data, orderingKey))).get(0);
  }

  private DecodeResult decode(Incoming m) {
    try {
      return decoder.decode(m.attributes(), m.data(), m.orderingKey());
    } catch (RuntimeException e) {
      // The decoder turns its own failures into rejections; this guards against any it missed.
      return new DecodeResult.Rejected(
          new Rejection(
              RejectionCode.UNDECODABLE,
              "data",
              "the command could not be decoded: " + e.getClass().getSimpleName()));
    }
  }
}
