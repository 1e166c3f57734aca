package dev.orgprovisioner.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a route into a {@link Delivery}: recipients (the org's admin placeholder, the org's allowed
 * domains) and secrets resolved in the namespace of the channel's owner.
 */
final class Deliveries {

  private final NotificationDirectory directory;
  private final SecretResolver secrets;
  private final Map<String, List<String>> recipientDomains;

  Deliveries(
      NotificationDirectory directory,
      SecretResolver secrets,
      Map<String, List<String>> recipientDomains) {
    this.directory = directory;
    this.secrets = secrets;
    this.recipientDomains = recipientDomains;
  }

  Delivery resolve(NotifyEvent event, Route route, Message message) throws UndeliverableException {
    Channel channel = route.channel();
    // A tenant's channel resolves in the namespace of the org the event is about, whatever its
    // row says: the directory only hands out that org's rows, and this keeps it so.
    String owner = route.platform() ? "" : event.orgSlug();
    return switch (channel.type()) {
      case EMAIL -> {
        List<String> to = recipients(event, channel.recipients());
        if (to.isEmpty()) {
          throw new UndeliverableException("channel " + channel.id() + " has no recipients");
        }
        List<String> cc = recipients(event, channel.ccRecipients());
        if (!route.platform()) {
          Optional<String> refusal =
              RecipientDomains.refusal(channel.id(), owner, allowedDomains(owner), to, cc);
          if (refusal.isPresent()) {
            throw new UndeliverableException(refusal.get());
          }
        }
        yield new Delivery(event, channel, message, to, cc, null, null);
      }
      case SLACK ->
          new Delivery(
              event,
              channel,
              message,
              List.of(),
              List.of(),
              secret(owner, channel, channel.targetRef(), "slack_webhook_url_encrypted"),
              null);
      case WEBHOOK ->
          new Delivery(
              event,
              channel,
              message,
              List.of(),
              List.of(),
              secret(owner, channel, channel.targetRef(), "webhook_url_encrypted"),
              secret(owner, channel, channel.secretRef(), "webhook_headers_encrypted"));
    };
  }

  private List<String> recipients(NotifyEvent event, List<String> configured)
      throws UndeliverableException {
    List<String> out = new ArrayList<>();
    for (String r : configured) {
      if (Channel.ORG_ADMIN.equals(r)) {
        Optional<String> admin =
            event.orgSlug().isEmpty() ? Optional.empty() : directory.adminEmail(event.orgSlug());
        out.add(
            admin.orElseThrow(
                () ->
                    new UndeliverableException(
                        "org " + event.historyOrg() + " has no admin_email in org_profiles")));
      } else if (!r.isBlank()) {
        out.add(r.trim());
      }
    }
    return out;
  }

  /** The admin's domain and the configured extra domains of the org. */
  private List<String> allowedDomains(String org) {
    List<String> domains = new ArrayList<>(recipientDomains.getOrDefault(org, List.of()));
    directory.adminEmail(org).flatMap(RecipientDomains::domainOf).ifPresent(domains::add);
    return domains;
  }

  private String secret(String owner, Channel channel, String reference, String field)
      throws UndeliverableException {
    if (reference == null || reference.isBlank()) {
      throw new UndeliverableException("channel " + channel.id() + ": " + field + " is empty");
    }
    Optional<String> value;
    try {
      value = secrets.resolve(owner, reference);
    } catch (IllegalArgumentException e) {
      throw new UndeliverableException(
          "channel " + channel.id() + ": " + field + ": " + e.getMessage());
    }
    return value.orElseThrow(
        () ->
            new UndeliverableException(
                "channel "
                    + channel.id()
                    + ": "
                    + field
                    + " references "
                    + reference
                    + ", which is not set"));
  }

  /** A delivery that cannot be attempted (missing secret, recipient, refused address). */
  static final class UndeliverableException extends Exception {
    UndeliverableException(String message) {
      super(message);
    }
  }
}
