package dev.orgprovisioner.execution;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.port.IdempotencyKeys;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.execution.port.Tracing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way a command becomes a job, for Pub/Sub and REST alike: idempotency claim (which creates
 * the job) → decision → dispatch of a new job to the worker pool.
 */
public final class Submission {

  private static final Logger LOG = Logger.getLogger(Submission.class.getName());

  private final IdempotencyKeys ledger;
  private final RejectionEvents rejections;
  private final Clock clock;
  private final Consumer<Job> dispatch;
  private final Tracing tracing;

  /**
   * @param dispatch hands a newly created job to the workers ({@code WorkerPool::dispatch})
   */
  public Submission(
      IdempotencyKeys ledger, EventFactory events, Clock clock, Consumer<Job> dispatch) {
    this(ledger, events, clock, dispatch, Tracing.NONE);
  }

  /**
   * @param tracing whose current span (an API request's) a command submitted over REST continues
   */
  public Submission(
      IdempotencyKeys ledger,
      EventFactory events,
      Clock clock,
      Consumer<Job> dispatch,
      Tracing tracing) {
    this.tracing = tracing;
    this.ledger = ledger;
    this.rejections = new RejectionEvents(events, clock);
    this.clock = clock;
    this.dispatch = dispatch;
  }

  /** A decoded command and the message it came in. */
  public record Submitted(CommandEnvelope envelope, String messageId, Map<String, String> source) {}

  /**
   * Submits one command (REST): its message id is the command id; its job continues the request's
   * trace.
   */
  public IntakeDecision submit(CommandEnvelope envelope) {
    CommandEnvelope traced =
        envelope.trace() == null ? envelope.withTrace(tracing.current()) : envelope;
    return submitAll(List.of(new Submitted(traced, envelope.id(), envelope.attributes()))).get(0);
  }

  /**
   * Claims all commands in one ledger transaction, decides for each and dispatches the new jobs. A
   * permanent refusal of the ledger rejects a lone command ({@code LEDGER_REJECTED}); for several
   * it is thrown, so the caller can retry them one by one and find the culprit. Throws {@link
   * dev.orgprovisioner.execution.port.LedgerUnavailableException} while the ledger cannot be
   * reached.
   */
  public List<IntakeDecision> submitAll(List<Submitted> commands) {
    if (commands.isEmpty()) {
      return List.of();
    }
    List<ClaimResult> claims;
    try {
      claims =
          ledger.claimAll(commands.stream().map(Submitted::envelope).toList(), clock.instant());
    } catch (LedgerRejectedException e) {
      if (commands.size() > 1) {
        throw e;
      }
      return List.of(ledgerRejected(commands.get(0), e));
    }
    List<IntakeDecision> decisions = new ArrayList<>(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      IntakeDecision decision = decide(commands.get(i), claims.get(i));
      if (decision instanceof IntakeDecision.Enqueued e) {
        dispatchQuietly(e.job());
      }
      decisions.add(decision);
    }
    return decisions;
  }

  /**
   * A rejection of a message that was not (or could not be) decoded into a command.
   *
   * @param trace the intake's context, which the rejection event names as its parent; null: the
   *     decoded command's, if any
   */
  IntakeDecision.Reject reject(
      String messageId,
      Map<String, String> attributes,
      Rejection rejection,
      CommandEnvelope envelope,
      TraceContext trace) {
    TraceContext parent = trace != null || envelope == null ? trace : envelope.trace();
    return rejections.reject(messageId, attributes, rejection, envelope, parent);
  }

  private IntakeDecision decide(Submitted command, ClaimResult claim) {
    if (claim instanceof ClaimResult.Claimed c) {
      return new IntakeDecision.Enqueued(c.job());
    }
    if (claim instanceof ClaimResult.InFlight f) {
      return new IntakeDecision.AlreadyInFlight(f.jobId());
    }
    if (claim instanceof ClaimResult.Finished f) {
      return new IntakeDecision.Republish(f.jobId(), f.terminalEvent());
    }
    CommandEnvelope envelope = command.envelope();
    return reject(
        command.messageId(),
        command.source(),
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
        envelope,
        null);
  }

  private IntakeDecision ledgerRejected(Submitted command, LedgerRejectedException e) {
    LOG.log(
        Level.WARNING,
        "The ledger refused the claim of message {0} for good: {1}",
        new Object[] {command.messageId(), e.getMessage()});
    // The exception's message names the refusal (status and reason), never the document.
    return reject(
        command.messageId(),
        command.source(),
        new Rejection(
            RejectionCode.LEDGER_REJECTED,
            "data",
            "the ledger refused to record the command: " + e.getMessage()),
        command.envelope(),
        null);
  }

  private void dispatchQuietly(Job job) {
    try {
      dispatch.accept(job);
    } catch (RuntimeException e) {
      // The job is stored; the pool's sweep picks it up. The message must still be acked.
      LOG.log(Level.WARNING, "Dispatching job " + job.id() + " failed; the sweep will run it", e);
    }
  }
}
