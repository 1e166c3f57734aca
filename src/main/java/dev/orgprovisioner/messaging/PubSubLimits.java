package dev.orgprovisioner.messaging;

import dev.orgprovisioner.command.MessageLimits;
import dev.orgprovisioner.command.Utf8Text;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** Keeps what we publish within Pub/Sub's limits, so a publish never fails for its shape. */
final class PubSubLimits {

  private static final Logger LOG = Logger.getLogger(PubSubLimits.class);

  private PubSubLimits() {}

  /**
   * Our own attributes (events, DLQ stamps) within the limits: values cut visibly to 1,024 bytes;
   * keys over 256 bytes and attributes past the 100th are left out, which a bug of ours would
   * cause, never input (logged).
   */
  static Map<String, String> bounded(Map<String, String> attributes) {
    Map<String, String> out = new LinkedHashMap<>();
    attributes.forEach(
        (key, value) -> {
          if (Utf8Text.bytes(key) > MessageLimits.MAX_KEY_BYTES
              || out.size() >= MessageLimits.MAX_ATTRIBUTES) {
            LOG.errorf("Attribute '%s' left out: over Pub/Sub's limits", Utf8Text.prefix(key, 64));
            return;
          }
          out.put(
              key, Utf8Text.truncate(value == null ? "" : value, MessageLimits.MAX_VALUE_BYTES));
        });
    return out;
  }

  /** True when an original attribute can travel as one as it is. */
  static boolean fits(String key, String value) {
    return Utf8Text.bytes(key) <= MessageLimits.MAX_KEY_BYTES
        && Utf8Text.bytes(value) <= MessageLimits.MAX_VALUE_BYTES
        && !key.startsWith("goog"); // reserved by Pub/Sub: a publish with one is refused
  }

  /** Bytes Pub/Sub counts for a message (data, attributes, ordering key). */
  static long size(int dataBytes, Map<String, String> attributes, String orderingKey) {
    long total = dataBytes + Utf8Text.bytes(orderingKey);
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      total += Utf8Text.bytes(e.getKey()) + Utf8Text.bytes(e.getValue());
    }
    return total;
  }

  /** Why a message would be refused by Pub/Sub, or null when it fits. */
  static String problem(int dataBytes, Map<String, String> attributes, String orderingKey) {
    if (attributes.size() > MessageLimits.MAX_ATTRIBUTES) {
      return attributes.size() + " attributes (at most " + MessageLimits.MAX_ATTRIBUTES + ")";
    }
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (Utf8Text.bytes(e.getKey()) > MessageLimits.MAX_KEY_BYTES
          || Utf8Text.bytes(e.getValue()) > MessageLimits.MAX_VALUE_BYTES) {
        return "attribute '" + Utf8Text.truncate(e.getKey(), 64) + "' is over the size limits";
      }
    }
    long size = size(dataBytes, attributes, orderingKey);
    return size > MessageLimits.MAX_MESSAGE_BYTES
        ? size + " bytes (at most " + MessageLimits.MAX_MESSAGE_BYTES + ")"
        : null;
  }
}
