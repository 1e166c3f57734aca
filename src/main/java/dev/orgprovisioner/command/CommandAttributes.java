package dev.orgprovisioner.command;

import static dev.orgprovisioner.command.CommandDecoder.ID;
import static dev.orgprovisioner.command.CommandDecoder.IDEMPOTENCY_KEY;
import static dev.orgprovisioner.command.CommandDecoder.SOURCE;
import static dev.orgprovisioner.command.CommandDecoder.SPECVERSION;
import static dev.orgprovisioner.command.CommandDecoder.TIME;
import static dev.orgprovisioner.command.CommandDecoder.TYPE;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Checks a command message's attributes: Pub/Sub's limits, then the CloudEvents ones we need. */
final class CommandAttributes {

  private static final Pattern ATTRIBUTE_VALUE = Pattern.compile("^[\\x21-\\x7E]{1,256}$");

  private CommandAttributes() {}

  /** The first problem with {@code attrs}, or null. */
  static Rejection check(Map<String, String> attrs) {
    Rejection limits = checkAttributeLimits(attrs);
    if (limits != null) {
      return limits;
    }
    for (String required : List.of(SPECVERSION, TYPE, ID, SOURCE)) {
      String value = attrs.get(required);
      if (value == null || value.isBlank()) {
        return new Rejection(
            RejectionCode.MISSING_ATTRIBUTE, required, "attribute " + required + " is required");
      }
    }
    if (!"1.0".equals(attrs.get(SPECVERSION))) {
      return new Rejection(
          RejectionCode.UNSUPPORTED_SPECVERSION,
          SPECVERSION,
          "only CloudEvents specversion 1.0 is supported");
    }
    if (CommandType.acceptedFrom(attrs.get(TYPE)).isEmpty()) {
      return new Rejection(
          RejectionCode.UNKNOWN_TYPE,
          TYPE,
          "unknown command type; expected one of "
              + java.util.Arrays.stream(CommandType.values())
                  .filter(CommandType::external)
                  .map(CommandType::ceType)
                  .toList());
    }
    for (String name : List.of(ID, IDEMPOTENCY_KEY)) {
      String value = attrs.get(name);
      if (value != null && !ATTRIBUTE_VALUE.matcher(value).matches()) {
        return new Rejection(
            RejectionCode.INVALID_ATTRIBUTE,
            name,
            name + " must be 1-256 printable ASCII characters without spaces");
      }
    }
    if (attrs.get(SOURCE).length() > 1024) {
      return new Rejection(RejectionCode.INVALID_ATTRIBUTE, SOURCE, "ce-source is too long");
    }
    String time = attrs.get(TIME);
    if (time != null) {
      try {
        OffsetDateTime.parse(time);
      } catch (DateTimeParseException e) {
        return new Rejection(
            RejectionCode.INVALID_ATTRIBUTE, TIME, "ce-time must be an RFC 3339 timestamp");
      }
    }
    return null;
  }

  /** Pub/Sub's own limits; the emulator does not enforce them, and a DLQ copy must fit them. */
  private static Rejection checkAttributeLimits(Map<String, String> attrs) {
    if (attrs.size() > MessageLimits.MAX_ATTRIBUTES) {
      return new Rejection(
          RejectionCode.INVALID_ATTRIBUTE,
          "attributes",
          "a message has at most "
              + MessageLimits.MAX_ATTRIBUTES
              + " attributes; this one has "
              + attrs.size());
    }
    for (String key : new TreeMap<>(attrs).keySet()) {
      if (Utf8Text.bytes(key) > MessageLimits.MAX_KEY_BYTES) {
        return new Rejection(
            RejectionCode.INVALID_ATTRIBUTE,
            key,
            "attribute keys are at most " + MessageLimits.MAX_KEY_BYTES + " bytes");
      }
      if (Utf8Text.bytes(attrs.get(key)) > MessageLimits.MAX_VALUE_BYTES) {
        return new Rejection(
            RejectionCode.INVALID_ATTRIBUTE,
            key,
            "attribute values are at most " + MessageLimits.MAX_VALUE_BYTES + " bytes");
      }
    }
    return null;
  }
}
