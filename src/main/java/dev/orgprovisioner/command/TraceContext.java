package dev.orgprovisioner.command;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A W3C trace context as the CloudEvents distributed-tracing extension carries it: {@code
 * traceparent} and {@code tracestate}, in binary mode on Pub/Sub the attributes {@code
 * ce-traceparent} and {@code ce-tracestate} (a bare {@code traceparent} is read too).
 *
 * @param traceparent {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}
 * @param tracestate vendor entries, or null
 */
public record TraceContext(String traceparent, String tracestate) {

  public static final String TRACEPARENT = "ce-traceparent";
  public static final String TRACESTATE = "ce-tracestate";

  /** The names of plain W3C propagation, accepted on input for publishers that use them. */
  static final String BARE_TRACEPARENT = "traceparent";

  static final String BARE_TRACESTATE = "tracestate";

  // Version 00 exactly; a later version may append fields after the flags (W3C §3.2.4).
  private static final Pattern PARENT =
      Pattern.compile("^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$");
  private static final int MAX_STATE_LENGTH = 512;
  private static final SecureRandom RANDOM = new SecureRandom();

  public TraceContext {
    if (!valid(traceparent)) {
      throw new IllegalArgumentException("not a W3C traceparent");
    }
    tracestate =
        tracestate == null || tracestate.isBlank() || tracestate.length() > MAX_STATE_LENGTH
            ? null
            : tracestate;
  }

  /** The context a message's attributes carry; empty when absent or malformed (never an error). */
  public static Optional<TraceContext> from(Map<String, String> attributes) {
    if (attributes == null) {
      return Optional.empty();
    }
    String parent = attributes.getOrDefault(TRACEPARENT, attributes.get(BARE_TRACEPARENT));
    if (!valid(parent)) {
      return Optional.empty();
    }
    String state = attributes.getOrDefault(TRACESTATE, attributes.get(BARE_TRACESTATE));
    return Optional.of(new TraceContext(parent, state));
  }

  /** A context of a new trace, sampled, for a publisher that has none of its own. */
  public static TraceContext newTrace() {
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    RANDOM.nextBytes(trace);
    RANDOM.nextBytes(span);
    trace[0] |= 1; // never all zero
    span[0] |= 1;
    HexFormat hex = HexFormat.of();
    return new TraceContext("00-" + hex.formatHex(trace) + "-" + hex.formatHex(span) + "-01", null);
  }

  /** The 32-hex-digit trace id. */
  public String traceId() {
    return traceparent.substring(3, 35);
  }

  /** The 16-hex-digit id of the span this context names as parent. */
  public String spanId() {
    return traceparent.substring(36, 52);
  }

  /** The message attributes that carry this context. */
  public Map<String, String> attributes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(TRACEPARENT, traceparent);
    if (tracestate != null) {
      attributes.put(TRACESTATE, tracestate);
    }
    return attributes;
  }

  private static boolean valid(String traceparent) {
    if (traceparent == null) {
      return false;
    }
    var m = PARENT.matcher(traceparent);
    if (!m.matches() || "ff".equals(m.group(1))) {
      return false;
    }
    if ("00".equals(m.group(1)) && m.group(5) != null) {
      return false;
    }
    return !m.group(2).chars().allMatch(c -> c == '0')
        && !m.group(3).chars().allMatch(c -> c == '0');
  }
}
