package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit's batching rules with a fake statement: the first caller's statement is held until
 * the test has queued the others behind it, so which callers share a statement is deterministic.
 */
class GroupCommitTest {

  /** One statement the fake sent: whose rows (the callers queue in any order), which labels. */
  record Sent(Set<Object> orgs, Map<String, String> labels) {}

  private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private volatile RuntimeException combinedFailure;
  private GroupCommit group = commit(Duration.ofSeconds(10));

  private GroupCommit commit(Duration queryTimeout) {
    return new GroupCommit(
        (shape, rows, labels, wait) -> {
          sent.add(
              new Sent(Set.copyOf(rows.stream().map(r -> r.get("org_slug")).toList()), labels));
          if (sent.size() == 1) {
            awaitRelease();
          }
          if (rows.size() > 1 && combinedFailure != null) {
            throw combinedFailure;
          }
          if (rows.stream().anyMatch(r -> "bad".equals(r.get("org_slug")))) {
            throw new WarehouseException(Kind.PERMANENT, "bad row");
          }
        },
        queryTimeout,
        new AtomicInteger());
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterEach
  void stop() {
    release.countDown();
    pool.shutdownNow();
    group.close();
  }

  private static GroupCommit.Shape shape(String... columns) {
    return new GroupCommit.Shape(
        "central", "org_profiles", List.of("org_slug"), Set.of(columns), Optional.empty());
  }

  private Future<Throwable> upsert(String org, GroupCommit.Shape shape) {
    Map<String, Object> row = new LinkedHashMap<>();
    shape.columns().forEach(c -> row.put(c, "x"));
    row.put("org_slug", org);
    Map<String, String> labels = Map.of("app", "org-provisioner", "org", org);
    return pool.submit(() -> catchThrowable(() -> group.upsert(shape, List.of(row), labels, 1)));
  }

  /** Holds a first statement in flight, then queues {@code orgs} behind it. */
  private List<Future<Throwable>> queueBehindAStatement(Map<String, GroupCommit.Shape> orgs) {
    upsert("first", shape("org_slug", "status"));
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
    List<Future<Throwable>> calls = new ArrayList<>();
    orgs.forEach((org, shape) -> calls.add(upsert(org, shape)));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> group.waiting("central", "org_profiles") == orgs.size());
    release.countDown();
    return calls;
  }

  private static Map<String, GroupCommit.Shape> sameShape(String... orgs) {
    Map<String, GroupCommit.Shape> out = new LinkedHashMap<>();
    for (String org : orgs) {
      out.put(org, shape("org_slug", "status"));
    }
    return out;
  }

  @Test
  void callersArrivingWhileAStatementRuns_shareTheNextOne_withTheirCommonLabels() throws Exception {
    List<Future<Throwable>> calls = queueBehindAStatement(sameShape("a", "b", "c"));

    for (Future<Throwable> call : calls) {
      assertThat(call.get(5, TimeUnit.SECONDS)).isNull();
    }
    assertThat(sent).extracting(Sent::orgs).containsExactly(Set.of("first"), Set.of("a", "b", "c"));
    assertThat(sent.get(1).labels())
        .containsEntry("group_commit", "3")
        .containsEntry("app", "org-provisioner")
        .doesNotContainKey("org");
    assertThat(sent.get(0).labels()).containsEntry("org", "first");
    assertThat(group.statements()).isEqualTo(2);
  }

  @Test
  void aBadRow_failsOnlyItsCaller_theOthersAreSentAlone() throws Exception {
    List<Future<Throwable>> calls = queueBehindAStatement(sameShape("a", "bad", "c"));

    assertThat(calls.get(0).get(5, TimeUnit.SECONDS)).isNull();
    assertThat(calls.get(1).get(5, TimeUnit.SECONDS))
        .isInstanceOf(WarehouseException.class)
        .hasMessage("bad row");
    assertThat(calls.get(2).get(5, TimeUnit.SECONDS)).isNull();
    assertThat(sent.subList(0, 2))
        .extracting(Sent::orgs)
        .containsExactly(Set.of("first"), Set.of("a", "bad", "c"));
    assertThat(sent.subList(2, sent.size()))
        .extracting(Sent::orgs)
        .containsExactlyInAnyOrder(Set.of("a"), Set.of("bad"), Set.of("c"));
  }

  @Test
  void aTransientFailureOfACombinedStatement_reachesEveryCaller_andIsNotRetriedHere()
      throws Exception {
    combinedFailure = new WarehouseException(Kind.TRANSIENT, "rateLimitExceeded");
    List<Future<Throwable>> calls = queueBehindAStatement(sameShape("a", "b"));

    for (Future<Throwable> call : calls) {
      assertThat(call.get(5, TimeUnit.SECONDS))
          .isInstanceOf(WarehouseException.class)
          .satisfies(e -> assertThat(((WarehouseException) e).kind()).isEqualTo(Kind.TRANSIENT));
    }
    assertThat(sent).hasSize(2);
  }

  @Test
  void callersWritingOtherColumns_getAStatementOfTheirOwn() throws Exception {
    Map<String, GroupCommit.Shape> orgs = new LinkedHashMap<>();
    orgs.put("a", shape("org_slug", "status"));
    orgs.put("b", shape("org_slug", "status", "updated_at"));
    orgs.put("c", shape("org_slug", "status"));
    List<Future<Throwable>> calls = queueBehindAStatement(orgs);

    for (Future<Throwable> call : calls) {
      assertThat(call.get(5, TimeUnit.SECONDS)).isNull();
    }
    assertThat(sent)
        .extracting(Sent::orgs)
        .containsExactlyInAnyOrder(Set.of("first"), Set.of("a", "c"), Set.of("b"));
  }

  @Test
  void aCallerWhoseTimeRanOut_failsAsTransient_andItsRowsAreNeverSent() throws Exception {
    group.close();
    group = commit(Duration.ofMillis(300));
    upsert("first", shape("org_slug", "status"));
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);

    Throwable late = upsert("late", shape("org_slug", "status")).get(5, TimeUnit.SECONDS);
    release.countDown();
    Throwable next = upsert("next", shape("org_slug", "status")).get(5, TimeUnit.SECONDS);

    assertThat(late).isInstanceOf(WarehouseException.class).hasMessageContaining("timed out");
    assertThat(((WarehouseException) late).kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(next).isNull();
    assertThat(sent).extracting(Sent::orgs).containsExactly(Set.of("first"), Set.of("next"));
  }
}
