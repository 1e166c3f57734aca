package dev.orgprovisioner.app;

import dev.orgprovisioner.messaging.DeadLetterQueue;
import dev.orgprovisioner.messaging.MessagingConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds what the admin API's operations use: the dead-letter queue browser and replayer. */
@Singleton
public class OpsProducers {

  @Produces
  @Singleton
  DeadLetterQueue deadLetterQueue(MessagingConfig config) {
    return DeadLetterQueue.open(
        config.emulatorHost(),
        config.projectId(),
        config.dlqSubscription(),
        config.commandsTopic());
  }

  void close(@Disposes DeadLetterQueue dlq) {
    dlq.close();
  }
}
