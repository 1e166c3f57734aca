package dev.orgprovisioner.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.TopicName;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.messaging.CommandPublisher;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.messaging.PubSubTransport;
import dev.orgprovisioner.provisioning.ProvisioningService;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The local run's demonstration: publishes an onboarding command for {@code demo_org} the way the
 * frontend would, waits for the completion event on the events topic and prints it with the org's
 * status, then the welcome mail the org's admin received in the local mailbox (the mock mailer). On
 * only when {@code provisioner.demo=true} (the local profile).
 */
@Singleton
public class LocalDemo {

  private static final Logger LOG = Logger.getLogger(LocalDemo.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  // The notifier reads the completion event from its own subscription, a moment after the demo.
  private static final Duration MAIL_WAIT = Duration.ofSeconds(30);
  private static final String ADMIN = "admin@demo-org.example";

  void onStart(
      @Observes @Priority(Integer.MAX_VALUE) StartupEvent event,
      ProvisionerConfig config,
      MessagingConfig messaging,
      Instance<ProvisioningService> provisioning,
      Instance<MockMailbox> mailbox,
      @ConfigProperty(name = "quarkus.mailer.mock") Optional<Boolean> mock) {
    if (!config.demo()) {
      return;
    }
    // Quarkus' own default: the mock mailer is on in dev and test unless configured.
    boolean mocked = mock.orElse(LaunchMode.current().isDevOrTest());
    Optional<LocalMailbox> local =
        mocked && mailbox.isResolvable()
            ? Optional.of(new LocalMailbox(mailbox.get()))
            : Optional.empty();
    // Asked for on the demo's thread: the service is being built off the main thread (Startup).
    Thread demo = new Thread(() -> run(messaging, provisioning.get(), local), "local-demo");
    demo.setDaemon(true);
    demo.start();
  }

  private void run(
      MessagingConfig messaging, ProvisioningService provisioning, Optional<LocalMailbox> mailbox) {
    String org = "demo_org";
    String subscription = "local-demo-" + UUID.randomUUID().toString().substring(0, 8);
    try (PubSubTransport transport = PubSubTransport.create(messaging.emulatorHost())) {
      try (SubscriptionAdminClient admin = transport.subscriptionAdmin()) {
        admin.createSubscription(
            ProjectSubscriptionName.of(messaging.projectId(), subscription),
            TopicName.of(messaging.projectId(), messaging.eventsTopic()),
            PushConfig.getDefaultInstance(),
            30);
      }
      CompletableFuture<String> answer = new CompletableFuture<>();
      String[] commandId = new String[1];
      MessageReceiver receiver =
          (message, consumer) -> {
            consumer.ack();
            if (commandId[0] != null
                && commandId[0].equals(message.getAttributesMap().get("correlation-id"))) {
              answer.complete(
                  message.getAttributesMap().get("ce-type")
                      + " "
                      + message.getAttributesMap()
                      + "\n"
                      + message.getData().toStringUtf8());
            }
          };
      Subscriber subscriber =
          transport
              .subscriber(ProjectSubscriptionName.of(messaging.projectId(), subscription), receiver)
              .build();
      subscriber.startAsync().awaitRunning();
      try (CommandPublisher publisher =
          new CommandPublisher(
              transport, messaging.projectId(), messaging.commandsTopic(), "//local-demo")) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("org_slug", org);
        data.put("company_name", "Demo Org Ltd");
        data.put("admin_email", ADMIN);
        data.put("subscription_plan", "PROFESSIONAL");
        data.put("default_currency", "EUR");
        data.put("default_timezone", "Europe/Berlin");
        commandId[0] = publisher.publish(CommandType.ONBOARD, org, data, "local-demo-onboard");
        LOG.infof("Demo: published org.onboard.requested for %s (ce-id %s)", org, commandId[0]);
        String event = answer.get(120, TimeUnit.SECONDS);
        String status =
            JSON.writeValueAsString(provisioning.orgStatus(OrgSlug.parse(org)).status());
        System.out.println(
            "\n=== Demo: completion event ===\n"
                + event
                + "\n=== Demo: status of "
                + org
                + ": "
                + status
                + " ===\n"
                + "Try: curl -H 'X-Admin-Key: local-admin-key' localhost:8080/api/v1/orgs/"
                + org
                + "/status\n     curl localhost:8080/q/health   curl localhost:8080/q/metrics"
                + "   curl localhost:8080/q/openapi\n");
        System.out.println(welcomeMail(mailbox));
      } finally {
        subscriber.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.error("Demo failed", e);
    }
  }

  /** The welcome mail the demo org's admin received, or why there is none to show. */
  private static String welcomeMail(Optional<LocalMailbox> mailbox) throws InterruptedException {
    if (mailbox.isEmpty()) {
      return "=== Demo: no local mailbox (quarkus.mailer.mock is off); mail goes to SMTP ===";
    }
    return mailbox
        .get()
        .awaitMailTo(ADMIN, MAIL_WAIT)
        .map(
            mail ->
                "=== Demo: local mailbox of "
                    + ADMIN
                    + " (nothing leaves this machine; every mail is also logged) ===\n"
                    + LocalMailbox.format(mail)
                    + "\n=== end of mail ===\n")
        .orElse("=== Demo: no mail to " + ADMIN + " within " + MAIL_WAIT.toSeconds() + " s ===");
  }
}
