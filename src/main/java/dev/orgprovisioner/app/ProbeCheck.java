package dev.orgprovisioner.app;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * A health check that calls a dependency with a deadline: a hanging dependency answers DOWN after
 * {@code timeout} instead of holding the probe. At most one call is in flight; a probe that comes
 * while the previous call still hangs waits on that same call.
 */
public final class ProbeCheck implements HealthCheck {

  private final String name;
  private final Duration timeout;
  private final Callable<Map<String, Object>> probe;
  private final AtomicReference<CompletableFuture<Map<String, Object>>> inFlight =
      new AtomicReference<>();

  /** {@code probe} returns data to show with UP, or throws when the dependency does not answer. */
  public ProbeCheck(String name, Duration timeout, Callable<Map<String, Object>> probe) {
    this.name = name;
    this.timeout = timeout;
    this.probe = probe;
  }

  @Override
  public HealthCheckResponse call() {
    CompletableFuture<Map<String, Object>> call = inFlight.get();
    if (call == null || call.isDone()) {
      CompletableFuture<Map<String, Object>> fresh = new CompletableFuture<>();
      if (inFlight.compareAndSet(call, fresh)) {
        Thread worker =
            new Thread(
                () -> {
                  try {
                    fresh.complete(probe.call());
                  } catch (Throwable e) {
                    fresh.completeExceptionally(e);
                  }
                },
                "provisioner-probe-" + name);
        worker.setDaemon(true);
        worker.start();
      }
      call = inFlight.get();
    }
    HealthCheckResponseBuilder response = HealthCheckResponse.named(name);
    try {
      Map<String, Object> data = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      response.up();
      data.forEach((k, v) -> withData(response, k, v));
    } catch (TimeoutException e) {
      response.down().withData("error", "no answer within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      response.down().withData("error", String.valueOf(e.getCause().getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.down().withData("error", "interrupted");
    }
    return response.build();
  }

  private static void withData(HealthCheckResponseBuilder response, String key, Object value) {
    if (value instanceof Boolean b) {
      response.withData(key, b);
    } else if (value instanceof Number n) {
      response.withData(key, n.longValue());
    } else {
      response.withData(key, String.valueOf(value));
    }
  }
}
