package dev.orgprovisioner.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

/** Creates the Pub/Sub topology at start when {@code messaging.create-topology} is on. */
@Singleton
public class PubSubTopologyOnStart {

  // Before Quarkus Messaging connects its channels (priority 1000): a subscriber started on a
  // missing subscription fails its channel.
  void onStart(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
      MessagingConfig config,
      NotificationSettings notify) {
    if (config.createTopology()) {
      new PubSubTopology(config).ensure(notify.subscription());
    }
  }
}
