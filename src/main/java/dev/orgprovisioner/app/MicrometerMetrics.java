package dev.orgprovisioner.app;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics port and the warehouse observer on Micrometer; Prometheus scrapes them at {@code
 * /q/metrics} as {@code provisioner_*}.
 */
@Singleton
public class MicrometerMetrics implements Metrics, RetryingWarehouse.Observer {

  private final MeterRegistry registry;
  private final AtomicLong auditBacklog = new AtomicLong(-1);

  public MicrometerMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("provisioner.audit.backlog.rows", auditBacklog, AtomicLong::get)
        .description(
            "Audit and notification history rows waiting in the spool for the warehouse"
                + " (-1 until first counted)")
        .register(registry);
    // Present from the start, so dashboards and alerts see zeros rather than no series.
    for (MessageOutcome outcome : MessageOutcome.values()) {
      registry.counter("provisioner.messages", "outcome", label(outcome.name()));
    }
  }

  @Override
  public void auditBacklog(long rows) {
    auditBacklog.set(rows);
  }

  @Override
  public void message(MessageOutcome outcome) {
    registry.counter("provisioner.messages", "outcome", label(outcome.name())).increment();
  }

  @Override
  public void job(CommandType type, String state) {
    registry.counter("provisioner.jobs", "type", type.ceType(), "state", state).increment();
  }

  @Override
  public void jobDuration(CommandType type, String outcome, Duration duration) {
    Timer.builder("provisioner.job.duration")
        .description("Duration of one run of a job")
        .tag("type", type.ceType())
        .tag("outcome", outcome)
        .register(registry)
        .record(duration);
  }

  @Override
  public void jobRetry(CommandType type) {
    registry.counter("provisioner.job.retries", "type", type.ceType()).increment();
  }

  @Override
  public void deadLetter(String reason) {
    registry.counter("provisioner.dlq.publishes", "reason", reason).increment();
  }

  @Override
  public void notification(String channel, String status) {
    registry.counter("provisioner.notifications", "channel", channel, "status", status).increment();
  }

  @Override
  public void call(String operation) {
    registry.counter("provisioner.warehouse.calls", "operation", operation).increment();
  }

  @Override
  public void error(String operation, WarehouseException.Kind kind) {
    registry
        .counter("provisioner.warehouse.errors", "operation", operation, "kind", label(kind.name()))
        .increment();
  }

  @Override
  public void retry(String operation) {
    registry.counter("provisioner.warehouse.retries", "operation", operation).increment();
  }

  private static String label(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
