package dev.orgprovisioner.command;

/** Machine-readable reasons a command is rejected; carried in the DLQ and in command.rejected. */
public enum RejectionCode {
  UNKNOWN_TYPE,
  UNSUPPORTED_SPECVERSION,
  MISSING_ATTRIBUTE,
  INVALID_ATTRIBUTE,
  PAYLOAD_TOO_LARGE,
  PAYLOAD_NOT_JSON,
  PAYLOAD_NOT_OBJECT,
  MISSING_FIELD,
  UNKNOWN_FIELD,
  WRONG_TYPE,
  INVALID_VALUE,
  INVALID_SLUG,
  INVALID_EMAIL,
  UNKNOWN_PLAN,
  INVALID_CURRENCY,
  UNKNOWN_TIMEZONE,
  ORDERING_KEY_MISMATCH,
  IDEMPOTENCY_KEY_REUSED,
  /** Decoding the message failed unexpectedly; the message is kept in the DLQ as it came. */
  UNDECODABLE,
  /** The ledger refused the command's claim for good (e.g. a document too large to store). */
  LEDGER_REJECTED
}
