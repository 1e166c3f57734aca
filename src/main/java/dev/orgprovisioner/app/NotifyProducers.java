package dev.orgprovisioner.app;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.ledger.FirestoreNotificationState;
import dev.orgprovisioner.messaging.NotificationSettings;
import dev.orgprovisioner.notify.Channel;
import dev.orgprovisioner.notify.ChannelType;
import dev.orgprovisioner.notify.Notifier;
import dev.orgprovisioner.notify.ReferenceSecretResolver;
import dev.orgprovisioner.notify.RetryPolicy;
import dev.orgprovisioner.notify.http.SlackSender;
import dev.orgprovisioner.notify.http.WebhookSender;
import dev.orgprovisioner.notify.mail.MailerSender;
import dev.orgprovisioner.notify.warehouse.WarehouseNotificationDirectory;
import dev.orgprovisioner.notify.warehouse.WarehouseNotificationHistory;
import dev.orgprovisioner.provisioning.ProvisioningService;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Wires the notifier: warehouse directory, spooled history, Firestore state, SMTP/Slack/webhook.
 */
@Singleton
public class NotifyProducers {

  private static final Logger LOG = Logger.getLogger(NotifyProducers.class);

  // The ops channels reference their secrets by configuration key, so values are read only when
  // sending and never copied into a channel (which may be logged).
  private static final String OPS_URL = "notify.ops.webhook-url";
  private static final String OPS_SECRET = "notify.ops.webhook-secret";
  private static final String OPS_SLACK = "notify.ops.slack-webhook-url";

  @Produces
  @Singleton
  NotificationSettings notificationSettings(NotifyConfig config) {
    return new NotificationSettings(config.enabled(), config.subscription(), config.concurrency());
  }

  @Produces
  @Singleton
  WarehouseNotificationHistory notificationHistory(
      ProvisioningService provisioning, RowSpool spool) {
    // Rows go to the durable spool; SpoolProducers' drainer writes them to the warehouse.
    return new WarehouseNotificationHistory(spool, provisioning.centralDataset());
  }

  void closeHistory(@Disposes WarehouseNotificationHistory history) {
    history.close();
  }

  @Produces
  @Singleton
  Notifier notifier(
      ProvisioningService provisioning,
      WarehouseNotificationHistory history,
      Firestore firestore,
      LedgerConfig ledger,
      Mailer mailer,
      NotifyConfig config,
      Clock clock,
      Metrics metrics) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(config.httpTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    List<Channel> ops = opsChannels(config);
    LOG.infof(
        "Notifications %s; operations channels: %s",
        config.enabled() ? "on" : "off", ops.stream().map(c -> c.type().lower()).toList());
    return new Notifier(
        new WarehouseNotificationDirectory(provisioning.warehouse(), provisioning.centralDataset()),
        history,
        new FirestoreNotificationState(
            firestore, ledger.collectionPrefix(), config.handledTtl(), ledger.callTimeout()),
        new ReferenceSecretResolver(NotifyProducers::lookup),
        List.of(
            new MailerSender(mailer, config.from()),
            new SlackSender(http, config.httpTimeout(), clock),
            new WebhookSender(http, config.httpTimeout(), clock)),
        duration -> Thread.sleep(duration.toMillis()),
        clock,
        new Notifier.Settings(
            new RetryPolicy(
                config.retryMaxAttempts(), config.retryInitialBackoff(), config.retryMaxBackoff()),
            Duration.ofMinutes(config.defaultCooldownMinutes()),
            ops,
            config.recipientDomains()),
        metrics);
  }

  /** The ops channels configured; their secrets are referenced by config key, never copied. */
  static List<Channel> opsChannels(NotifyConfig config) {
    NotifyConfig.Ops ops = config.ops();
    List<Channel> channels = new ArrayList<>();
    ops.email()
        .filter(list -> !list.isEmpty())
        .ifPresent(list -> channels.add(Channel.email("ops-email", "", "Operations e-mail", list)));
    if (ops.slackWebhookUrl().filter(v -> !v.isBlank()).isPresent()) {
      channels.add(Channel.slack("ops-slack", "", "Operations Slack", "env:" + OPS_SLACK));
    }
    if (ops.webhookUrl().filter(v -> !v.isBlank()).isPresent()) {
      if (ops.webhookSecret().filter(v -> !v.isBlank()).isEmpty()) {
        throw new IllegalStateException(
            "notify.ops.webhook-secret is required when notify.ops.webhook-url is set");
      }
      channels.add(
          new Channel(
              "ops-webhook",
              "",
              ChannelType.WEBHOOK,
              "Operations webhook",
              true,
              null,
              null,
              "",
              "env:" + OPS_URL,
              "env:" + OPS_SECRET,
              null,
              null));
    }
    return channels;
  }

  /** {@code env:NAME}: the environment variable NAME, else the configuration property NAME. */
  static Optional<String> lookup(String name) {
    String env = System.getenv(name);
    if (env != null && !env.isBlank()) {
      return Optional.of(env);
    }
    return ConfigProvider.getConfig().getOptionalValue(name, String.class);
  }
}
