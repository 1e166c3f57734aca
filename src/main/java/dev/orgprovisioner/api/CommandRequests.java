package dev.orgprovisioner.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.Submission;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/**
 * Commands made from HTTP requests: decoded by the same decoder as Pub/Sub's, submitted through the
 * one {@link Submission}, and the decision answered as REST (202, 200, 409, 400, 422).
 */
public final class CommandRequests {

  /** The ce-source of commands made from HTTP requests. */
  static final String SOURCE = "//org-provisioner/api";

  static final String KEY_HEADER = "Idempotency-Key";

  private static final ObjectMapper JSON = new ObjectMapper();

  private CommandRequests() {}

  /** Decodes a request body as a command's data. */
  static DecodeResult decode(
      CommandDecoder decoder, CommandType type, byte[] body, String idempotencyKey) {
    return decoder.decodeRequest(
        type, body, UUID.randomUUID().toString(), CommandRequests.SOURCE, idempotencyKey);
  }

  /**
   * Decodes a body about the org named in the path: the data gets its {@code org_slug} from the
   * path; a body naming another org is refused (400, field {@code org_slug}).
   */
  static DecodeResult decodeForOrg(
      CommandDecoder decoder, CommandType type, String org, byte[] body, String idempotencyKey) {
    return decodeNaming(
        decoder, type, "org_slug", org, RejectionCode.ORDERING_KEY_MISMATCH, body, idempotencyKey);
  }

  /**
   * Decodes a body about the roll-out named in the path: the data gets its {@code rollout_id} from
   * the path; a body naming another roll-out is refused (400, field {@code rollout_id}).
   */
  public static DecodeResult decodeForRollout(
      CommandDecoder decoder, CommandType type, String id, byte[] body, String idempotencyKey) {
    return decodeNaming(
        decoder, type, "rollout_id", id, RejectionCode.INVALID_VALUE, body, idempotencyKey);
  }

  private static DecodeResult decodeNaming(
      CommandDecoder decoder,
      CommandType type,
      String field,
      String value,
      RejectionCode mismatch,
      byte[] body,
      String idempotencyKey) {
    JsonNode data;
    try {
      data = body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return new DecodeResult.Rejected(
          new Rejection(RejectionCode.PAYLOAD_NOT_JSON, "data", "the request body is not JSON"));
    }
    if (!(data instanceof ObjectNode object)) {
      return new DecodeResult.Rejected(
          new Rejection(RejectionCode.INVALID_VALUE, "data", "the request body must be an object"));
    }
    JsonNode named = object.get(field);
    if (named != null && !named.asText().equals(value)) {
      return new DecodeResult.Rejected(
          new Rejection(
              mismatch,
              field,
              "the body's " + field + " must be the one of the path, '" + value + "'"));
    }
    object.put(field, value);
    try {
      return decode(decoder, type, JSON.writeValueAsBytes(object), idempotencyKey);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Submits a decoded command, or answers its rejection. */
  public static Response submitOrReject(Submission submission, DecodeResult decoded) {
    if (decoded instanceof DecodeResult.Rejected r) {
      return invalid(r.rejection());
    }
    return submit(submission, ((DecodeResult.Accepted) decoded).envelope());
  }

  /**
   * 202 with the job id (the same key again: the same job), 200 with the event id when that key's
   * job has finished, 409 for a key used with another payload, 422 when the ledger refused it.
   */
  static Response submit(Submission submission, CommandEnvelope envelope) {
    IntakeDecision decision = submission.submit(envelope);
    if (decision instanceof IntakeDecision.Enqueued e) {
      return Response.accepted(Map.of("job_id", e.job().id(), "state", e.job().state())).build();
    }
    if (decision instanceof IntakeDecision.AlreadyInFlight f) {
      return Response.accepted(Map.of("job_id", f.jobId())).build();
    }
    if (decision instanceof IntakeDecision.Republish r) {
      return Response.ok(Map.of("job_id", r.jobId(), "event_id", r.event().id())).build();
    }
    Rejection rejection = ((IntakeDecision.Reject) decision).rejection();
    if (rejection.code() == RejectionCode.IDEMPOTENCY_KEY_REUSED) {
      return Response.status(409)
          .entity(new ApiError(rejection.code().name(), KEY_HEADER, rejection.message()))
          .build();
    }
    // The ledger refused to record the command for good (LEDGER_REJECTED).
    return Response.status(422)
        .entity(new ApiError(rejection.code().name(), rejection.field(), rejection.message()))
        .build();
  }

  /** 400 with the rejection's code and field (the key's field named as its header). */
  static Response invalid(Rejection rejection) {
    String field =
        CommandDecoder.IDEMPOTENCY_KEY.equals(rejection.field()) ? KEY_HEADER : rejection.field();
    return Response.status(400)
        .entity(new ApiError(rejection.code().name(), field, rejection.message()))
        .build();
  }
}
