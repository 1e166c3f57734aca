package dev.orgprovisioner.command;

/** The outcome of decoding a message: an accepted command or a rejection. */
public sealed interface DecodeResult {

  /** A well-formed, valid command. */
  record Accepted(CommandEnvelope envelope) implements DecodeResult {}

  /** An invalid command, never to be retried. */
  record Rejected(Rejection rejection) implements DecodeResult {}
}
