package dev.orgprovisioner.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.execution.JobLease;
import dev.orgprovisioner.execution.Lease;
import dev.orgprovisioner.execution.port.Tracing;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One span per warehouse call of a job, naming the job and its org. */
class TracedWarehouseTest {

  /** A span as the fake tracing saw it. */
  private record Call(
      String operation, String dataset, String org, String jobId, List<String> failures) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  private final Tracing tracing =
      new Tracing() {
        @Override
        public Span warehouseCall(String operation, String dataset, String org, String jobId) {
          Call call = new Call(operation, dataset, org, jobId, new CopyOnWriteArrayList<>());
          calls.add(call);
          return new Span() {
            @Override
            public TraceContext context() {
              return null;
            }

            @Override
            public void failed(String reason) {
              call.failures().add(reason);
            }

            @Override
            public void close() {}
          };
        }
      };

  /** A warehouse that answers empty, and fails selectRows. */
  private static Warehouse engine() {
    return (Warehouse)
        Proxy.newProxyInstance(
            Warehouse.class.getClassLoader(),
            new Class<?>[] {Warehouse.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "freshSnapshot" -> Optional.empty();
                  case "selectRows" ->
                      throw new WarehouseException(WarehouseException.Kind.PERMANENT, "boom");
                  default -> null;
                });
  }

  private static <T> T inJob(String org, java.util.function.Supplier<T> work) {
    JobLease lease =
        new JobLease(
            new Lease("job-7", "me", 1),
            CommandType.ONBOARD,
            org,
            Instant.now().plusSeconds(60),
            Duration.ZERO,
            Instant.now().plusSeconds(60));
    return JobFence.under(lease, work);
  }

  @Test
  void callOfAJob_isOneSpanWithItsOrgJobAndDataset() {
    Warehouse warehouse = new TracedWarehouse(engine(), tracing);

    inJob("acme", () -> warehouse.freshSnapshot("org_acme"));
    inJob(
        "acme",
        () -> {
          warehouse.upsertRows("organizations", "org_profiles", List.of("org_slug"), List.of());
          return null;
        });

    assertThat(calls)
        .containsExactly(
            new Call("freshSnapshot", "org_acme", "acme", "job-7", List.of()),
            new Call("upsertRows org_profiles", "organizations", "acme", "job-7", List.of()));
  }

  @Test
  void failedCall_marksItsSpan_andStillThrows() {
    Warehouse warehouse = new TracedWarehouse(engine(), tracing);

    assertThatThrownBy(() -> inJob("acme", () -> warehouse.selectRows("d", "t", Map.of(), 1)))
        .isInstanceOf(WarehouseException.class);
    assertThat(calls).singleElement().satisfies(c -> assertThat(c.failures()).hasSize(1));
  }

  @Test
  void callOutsideAJob_startsNoSpan() {
    Warehouse warehouse = new TracedWarehouse(engine(), tracing);

    assertThat(warehouse.freshSnapshot("org_acme")).isEmpty();
    assertThat(calls).isEmpty();
  }
}
