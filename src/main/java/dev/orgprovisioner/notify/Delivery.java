package dev.orgprovisioner.notify;

import java.util.List;

/**
 * Everything a sender needs for one message, secrets resolved. Its {@code toString} hides the
 * target and the secret.
 *
 * @param recipients resolved e-mail recipients (empty for Slack and webhooks)
 * @param target the resolved Slack or webhook URL (a secret), or null for e-mail
 * @param secret the resolved webhook signing secret, or null
 */
public record Delivery(
    NotifyEvent event,
    Channel channel,
    Message message,
    List<String> recipients,
    List<String> cc,
    String target,
    String secret) {

  public Delivery {
    recipients = recipients == null ? List.of() : List.copyOf(recipients);
    cc = cc == null ? List.of() : List.copyOf(cc);
  }

  @Override
  public String toString() {
    return "Delivery[" + event.type() + " " + event.id() + " via " + channel + "]";
  }
}
