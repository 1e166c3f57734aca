package dev.orgprovisioner.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Notifications: delivery, retries, cooldown and the global operations channel. */
@ConfigMapping(prefix = "notify")
public interface NotifyConfig {

  /** Whether events are turned into notifications (off: events are acknowledged and dropped). */
  @WithDefault("true")
  boolean enabled();

  /** Subscription on the events topic the notifier pulls from (created with the topology). */
  @WithDefault("provisioning-events-notifier")
  String subscription();

  /** Events delivered at once (each may wait for retries). */
  @WithDefault("4")
  int concurrency();

  /** Attempts per notification and channel, the first included, on transient failures. */
  @WithDefault("5")
  int retryMaxAttempts();

  /** Wait before the first retry; doubles per retry. */
  @WithDefault("1s")
  Duration retryInitialBackoff();

  /** Longest wait between two attempts (also caps a receiver's Retry-After). */
  @WithDefault("30s")
  Duration retryMaxBackoff();

  /** Timeout of one Slack or webhook request, connection included. */
  @WithDefault("10s")
  Duration httpTimeout();

  /** Cooldown of rules that set none (and of the default rules), per org and rule; 0 = none. */
  @WithDefault("30")
  int defaultCooldownMinutes();

  /** How long "already handled" markers are kept for de-duplicating redelivered events. */
  @WithDefault("7d")
  Duration handledTtl();

  /** Sender address of notification e-mails. */
  @WithDefault("org-provisioner@localhost")
  String from();

  /** The global operations channel ({@code ops} in rules); every part is optional. */
  Ops ops();

  /**
   * Per org slug, the e-mail domains its channels may send to besides its admin's domain (from
   * {@code org_profiles.admin_email}); e.g. {@code notify.recipient-domains.acme=acme.com,acme.de}.
   * Set by the platform only: a tenant's rows cannot widen it.
   */
  Map<String, List<String>> recipientDomains();

  /** The operations channel; secrets may come from the environment: {@code ${OPS_SLACK_URL}}. */
  interface Ops {

    /** E-mail recipients of operations notifications. */
    Optional<List<String>> email();

    /** Slack incoming-webhook URL for operations (a secret: never logged). */
    Optional<String> slackWebhookUrl();

    /** Generic webhook URL for operations (a secret: never logged). */
    Optional<String> webhookUrl();

    /** HMAC-SHA256 signing secret of the operations webhook (required with webhook-url). */
    Optional<String> webhookSecret();
  }
}
