package dev.orgprovisioner.app;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Optional;

/** Refuses to start when the lease timings break the execution protocol's assumptions. */
@Singleton
public class LeaseTimingCheck {

  void onStart(
      @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
      LedgerConfig ledger,
      ExecutionConfig execution,
      WarehouseConfig warehouse) {
    boolean bigQuery = warehouse.kind().map(k -> k == WarehouseConfig.Kind.BIGQUERY).orElse(false);
    LeaseTimingGuard.check(
        ledger.leaseDuration(),
        execution.heartbeatInterval(),
        execution.leaseMargin(),
        bigQuery
            ? Optional.of(
                List.of(warehouse.bigquery().callTimeout(), warehouse.bigquery().queryTimeout()))
            : Optional.empty());
  }
}
