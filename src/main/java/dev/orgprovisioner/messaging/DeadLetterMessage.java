package dev.orgprovisioner.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orgprovisioner.command.MessageLimits;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A dead letter as published: the original data and attributes plus our stamps, within Pub/Sub's
 * limits. Original attributes that do not fit (too many, too long, reserved) move into an envelope
 * body (marked {@code dlq-envelope: v1}) with the original data in base64, so nothing is dropped;
 * {@link #restore} gives the original back.
 *
 * @param data the body to publish
 * @param attributes the attributes to publish
 * @param enveloped original attributes that travel in the envelope (0 when there is none)
 */
public record DeadLetterMessage(byte[] data, Map<String, String> attributes, int enveloped) {

  /** Marks a dead letter whose body is an envelope; the value is its version. */
  public static final String ENVELOPE = "dlq-envelope";

  /** The envelope version this class writes and reads. */
  public static final String ENVELOPE_V1 = "v1";

  /** Set (to "true") when even the envelope could not hold all the data (over 10 MB). */
  public static final String DATA_TRUNCATED = "dlq-data-truncated";

  private static final ObjectMapper JSON = new ObjectMapper();
  // Room kept for the envelope's JSON around the data and for attributes we count loosely.
  private static final int ENVELOPE_MARGIN = 64 * 1024;

  /**
   * @param original the attributes the command arrived with
   * @param stamps our dead-letter attributes (rejection, original message id, …); they win
   */
  public static DeadLetterMessage of(
      byte[] data, Map<String, String> original, Map<String, String> stamps) {
    byte[] body = data == null ? new byte[0] : data;
    Map<String, String> ours = PubSubLimits.bounded(stamps);
    Map<String, String> kept = new LinkedHashMap<>();
    Map<String, String> moved = new TreeMap<>();
    int room = MessageLimits.MAX_ATTRIBUTES - ours.size() - 2; // the marker, maybe truncation
    for (Map.Entry<String, String> e : new TreeMap<>(original).entrySet()) {
      String key = e.getKey();
      String value = e.getValue() == null ? "" : e.getValue();
      if (kept.size() < room && PubSubLimits.fits(key, value) && !ours.containsKey(key)) {
        kept.put(key, value);
      } else {
        moved.put(key, value);
      }
    }
    Map<String, String> attributes = new LinkedHashMap<>(kept);
    attributes.putAll(ours);
    if (moved.isEmpty()
        && PubSubLimits.size(body.length, attributes, "") <= MessageLimits.MAX_MESSAGE_BYTES) {
      return new DeadLetterMessage(body, attributes, 0);
    }
    attributes.put(ENVELOPE, ENVELOPE_V1);
    return new DeadLetterMessage(envelope(body, moved, attributes), attributes, moved.size());
  }

  private static byte[] envelope(
      byte[] data, Map<String, String> moved, Map<String, String> attributes) {
    ObjectNode env = JSON.createObjectNode();
    env.put("version", ENVELOPE_V1);
    env.set("attributes", JSON.valueToTree(moved));
    env.put("data_bytes", data.length);
    long fixed = PubSubLimits.size(0, attributes, "") + ENVELOPE_MARGIN;
    for (String v : moved.values()) {
      fixed += v.length() * 6L; // worst-case JSON escaping
    }
    for (String k : moved.keySet()) {
      fixed += k.length() * 6L;
    }
    long room = Math.max(0, (MessageLimits.MAX_MESSAGE_BYTES - fixed) / 4 * 3);
    byte[] kept = data;
    if (data.length > room) {
      // The only loss possible: a message near 10 MB whose attributes had to move as well.
      kept = java.util.Arrays.copyOf(data, (int) room);
      env.put("data_truncated", true);
      env.put("data_sha256", sha256(data));
      attributes.put(DATA_TRUNCATED, "true");
    }
    env.put("data_base64", Base64.getEncoder().encodeToString(kept));
    try {
      return JSON.writeValueAsBytes(env);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A dead letter unpacked.
   *
   * @param data the original data
   * @param published the attributes as published (stamps and the originals that fit), without the
   *     envelope's marker
   * @param moved the original attributes that travelled in the envelope; they win over a published
   *     one of the same key (a stamp displaced them)
   */
  public record Restored(byte[] data, Map<String, String> published, Map<String, String> moved) {

    /** An attribute of the command as it arrived, wherever it travelled. */
    public String original(String key) {
      return moved.containsKey(key) ? moved.get(key) : published.get(key);
    }
  }

  /** Undoes {@link #of}: the original data, and the original attributes from the envelope. */
  public static Restored restore(byte[] body, Map<String, String> attributes) {
    if (!ENVELOPE_V1.equals(attributes.get(ENVELOPE))) {
      return new Restored(body, attributes, Map.of());
    }
    try {
      JsonNode env = JSON.readTree(body);
      Map<String, String> published = new LinkedHashMap<>(attributes);
      published.remove(ENVELOPE);
      published.remove(DATA_TRUNCATED);
      Map<String, String> moved = new LinkedHashMap<>();
      env.path("attributes")
          .fields()
          .forEachRemaining(e -> moved.put(e.getKey(), e.getValue().asText()));
      byte[] data = Base64.getDecoder().decode(env.path("data_base64").asText(""));
      return new Restored(data, published, moved);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("dead letter envelope is not readable: " + e.getMessage());
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
