package dev.orgprovisioner.app;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.Collection;

/** Refuses to start, before anything else runs, when production has no {@code warehouse.kind}. */
@Singleton
public class WarehouseKindCheck {

  void onStart(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
      WarehouseConfig config) {
    check(config, ConfigUtils.getProfiles());
  }

  void check(WarehouseConfig config, Collection<String> activeProfiles) {
    WarehouseKindGuard.resolve(config.kind(), activeProfiles);
  }
}
