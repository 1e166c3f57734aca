package dev.orgprovisioner.notify;

import java.util.Locale;

/** How a channel delivers: e-mail over SMTP, a Slack incoming webhook, or a signed HTTP POST. */
public enum ChannelType {
  EMAIL,
  SLACK,
  WEBHOOK;

  /** Parses {@code email|slack|webhook} in any case; names the field on bad input. */
  public static ChannelType parse(String value, String field) {
    try {
      return ChannelType.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          field + ": '" + value + "' is not one of email, slack, webhook");
    }
  }

  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
