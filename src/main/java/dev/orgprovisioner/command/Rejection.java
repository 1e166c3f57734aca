package dev.orgprovisioner.command;

/**
 * Why a command was refused. Field and message are cut (visibly) to {@link #MAX_FIELD_BYTES} and
 * {@link #MAX_MESSAGE_BYTES}: both echo input, and both travel as Pub/Sub attribute values.
 *
 * @param field the offending attribute ({@code ce-type}) or data field ({@code data.org_slug})
 */
public record Rejection(RejectionCode code, String field, String message) {

  /** Budget of the field in UTF-8 bytes (a JSON key can be arbitrarily long). */
  public static final int MAX_FIELD_BYTES = 256;

  /** Budget of the message in UTF-8 bytes (below Pub/Sub's 1,024 per attribute value). */
  public static final int MAX_MESSAGE_BYTES = 1_000;

  public Rejection {
    field = Utf8Text.truncate(field == null ? "" : field, MAX_FIELD_BYTES);
    message = Utf8Text.truncate(message == null ? "" : message, MAX_MESSAGE_BYTES);
  }
}
