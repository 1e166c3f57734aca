package dev.orgprovisioner.testing;

import dev.orgprovisioner.command.MalformedCommands;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts dead letters on the DLQ topic exactly as the intake writes them, for tests of the DLQ
 * operations that need one without first breaking the intake.
 */
public final class DeadLetterFixtures {

  private DeadLetterFixtures() {}

  /** An onboard command the intake gave up on after five failed deliveries. */
  public static String exhaustedOnboard(
      PubSubTestClient pubsub, String dlqTopic, String org, String ceId) {
    Map<String, String> attrs = new LinkedHashMap<>(MalformedCommands.onboardAttributes(ceId));
    attrs.put("rejection-code", "DELIVERY_ATTEMPTS_EXHAUSTED");
    attrs.put("rejection-field", "");
    attrs.put("rejection-message", "could not be taken in after 5 deliveries: injected");
    attrs.put("original-message-id", "orig-" + ceId);
    attrs.put("original-ordering-key", org);
    attrs.put("delivery-attempts", "5");
    attrs.put("original-publish-time", Instant.now().minusSeconds(60).toString());
    attrs.put("dead-lettered-at", Instant.now().toString());
    return pubsub.publish(
        dlqTopic, attrs, MalformedCommands.json(MalformedCommands.onboardData(org)), null);
  }

  /**
   * An onboard command the intake rejected as invalid (its data is valid today: a rule that was too
   * strict was fixed, the case where replaying a rejection is asked for explicitly).
   */
  public static String rejectedOnboard(
      PubSubTestClient pubsub, String dlqTopic, String org, String ceId) {
    Map<String, String> attrs = new LinkedHashMap<>(MalformedCommands.onboardAttributes(ceId));
    attrs.put("rejection-code", "INVALID_VALUE");
    attrs.put("rejection-field", "company_name");
    attrs.put("rejection-message", "company_name is invalid");
    attrs.put("original-message-id", "orig-" + ceId);
    attrs.put("original-ordering-key", org);
    attrs.put("dead-lettered-at", Instant.now().toString());
    return pubsub.publish(
        dlqTopic, attrs, MalformedCommands.json(MalformedCommands.onboardData(org)), null);
  }

  /** A copy of a command as it was first published, dead-lettered again (e.g. a late duplicate). */
  public static String exhaustedCopy(
      PubSubTestClient pubsub,
      String dlqTopic,
      Map<String, String> originalAttributes,
      String data,
      String org) {
    Map<String, String> attrs = new LinkedHashMap<>(originalAttributes);
    attrs.put("rejection-code", "DELIVERY_ATTEMPTS_EXHAUSTED");
    attrs.put("original-ordering-key", org);
    attrs.put("delivery-attempts", "5");
    attrs.put("dead-lettered-at", Instant.now().toString());
    return pubsub.publish(
        dlqTopic, attrs, data.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
  }
}
