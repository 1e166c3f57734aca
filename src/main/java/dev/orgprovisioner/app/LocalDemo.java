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
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The local run's demonstration: publishes an onboarding command for {@code demo_org} the way the
 * frontend would, waits for the completion event on the events topic and prints it with the org's
 * status. On only when {@code provisioner.demo=true} (the local profile).
 */
@Singleton
public class LocalDemo {

  private static final Logger LOG = Logger.getLogger(LocalDemo.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  void onStart(
      @Observes @Priority(Integer.MAX_VALUE) StartupEvent event,
      ProvisionerConfig config,
      MessagingConfig messaging,
      ProvisioningService provisioning) {
    if (!config.demo()) {
      return;
    }
    Thread demo = new Thread(() -> run(messaging, provisioning), "local-demo");
    demo.setDaemon(true);
    demo.start();
  }

  private void run(MessagingConfig messaging, ProvisioningService provisioning) {
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
        data.put("admin_email", "admin@demo-org.example");
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
      } finally {
        subscriber.stopAsync().awaitTerminated(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.error("Demo failed", e);
    }
  }
}
