package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.testing.Envelopes.onboard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.execution.ClaimResult;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.JobQueue.JobPage;
import dev.orgprovisioner.execution.port.JobQueue.JobQuery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The contract of reading jobs: one job, pages newest first with a cursor, counts. */
public interface JobReadsContract extends LedgerContract {

  /** Newest first; among jobs created at once, the greater id first. */
  Comparator<Job> NEWEST_FIRST =
      Comparator.comparing(Job::createdAt, Comparator.reverseOrder())
          .thenComparing(Job::id, Comparator.reverseOrder());

  /** Seven jobs: three claimed in one batch at T0 (the same creation time), four one by one. */
  private List<Job> sevenJobs() {
    List<Job> jobs = new ArrayList<>();
    for (ClaimResult r :
        ledger()
            .claimAll(
                List.of(onboard("org_a", "c1"), onboard("org_b", "c2"), onboard("org_c", "c3")),
                T0)) {
      jobs.add(((ClaimResult.Claimed) r).job());
    }
    for (int i = 4; i <= 7; i++) {
      jobs.add(accept(onboard("org_d", "c" + i), at(i)));
    }
    return jobs;
  }

  private List<Job> walk(JobState state, String org, int limit) {
    List<Job> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JobPage page = ledger().jobs(new JobQuery(state, org, limit, cursor));
      assertThat(page.jobs()).hasSizeLessThanOrEqualTo(limit);
      seen.addAll(page.jobs());
      cursor = page.nextCursor();
      assertThat(++pages).as("the walk ends").isLessThan(100);
    } while (cursor != null);
    return seen;
  }

  @Test
  default void job_ofAnUnknownId_isEmpty() {
    assertThat(ledger().job("no-such-job")).isEmpty();
  }

  @Test
  default void jobs_pagesNewestFirst_andACursorWalkCoversEveryJobExactlyOnce() {
    List<Job> all = sevenJobs();
    List<String> expected = all.stream().sorted(NEWEST_FIRST).map(Job::id).toList();

    JobPage first = ledger().jobs(JobQuery.first(null, null, 3));
    List<Job> walked = walk(null, null, 3);

    assertThat(first.jobs()).extracting(Job::id).containsExactlyElementsOf(expected.subList(0, 3));
    assertThat(first.nextCursor()).isNotNull();
    assertThat(walked).extracting(Job::id).containsExactlyElementsOf(expected);
    Set<String> unique = new HashSet<>();
    walked.forEach(j -> assertThat(unique.add(j.id())).as("seen once: %s", j.id()).isTrue());
  }

  @Test
  default void jobs_whoseLastPageIsFull_hasNoCursorAfterIt() {
    sevenJobs();

    JobPage all = ledger().jobs(JobQuery.first(null, null, 7));

    assertThat(all.jobs()).hasSize(7);
    assertThat(all.nextCursor()).isNull();
    assertThat(walk(null, null, 1)).hasSize(7);
  }

  @Test
  default void jobs_filtersByStateAndOrg_onEveryPage() {
    Job running = leased(onboard("acme", "c1"), "w", T0);
    Job queued1 = accept(onboard("acme", "c2"), at(1));
    Job queued2 = accept(onboard("acme", "c3"), at(2));
    Job beta = accept(onboard("beta", "c4"), at(3));
    Job betaDone =
        finish(leased(onboard("beta_done", "c5"), "w", at(4)), JobState.SUCCEEDED, at(5));

    assertThat(walk(JobState.QUEUED, null, 1))
        .extracting(Job::id)
        .containsExactly(beta.id(), queued2.id(), queued1.id());
    assertThat(walk(null, "acme", 2))
        .extracting(Job::id)
        .containsExactly(queued2.id(), queued1.id(), running.id());
    assertThat(walk(JobState.QUEUED, "acme", 1))
        .extracting(Job::id)
        .containsExactly(queued2.id(), queued1.id());
    assertThat(walk(JobState.RUNNING, null, 5)).extracting(Job::id).containsExactly(running.id());
    assertThat(walk(JobState.SUCCEEDED, "beta_done", 5))
        .extracting(Job::id)
        .containsExactly(betaDone.id());
    assertThat(walk(JobState.FAILED, "acme", 5)).isEmpty();
  }

  @Test
  default void jobs_withACursorItDidNotReturn_isAnIllegalArgument() {
    sevenJobs();
    String noBar =
        Base64.getUrlEncoder().encodeToString("garbage".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> ledger().jobs(new JobQuery(null, null, 3, "not a cursor!")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cursor");
    assertThatThrownBy(() -> ledger().jobs(new JobQuery(null, null, 3, noBar)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cursor");
  }

  @Test
  default void countJobs_countsEachState() {
    leased(onboard("acme", "c1"), "w", T0);
    accept(onboard("acme", "c2"), T0);
    accept(onboard("beta", "c3"), T0);
    finish(leased(onboard("gamma", "c4"), "w", T0), JobState.SUCCEEDED, at(1));

    assertThat(ledger().countJobs(JobState.QUEUED)).isEqualTo(2);
    assertThat(ledger().countJobs(JobState.RUNNING)).isEqualTo(1);
    assertThat(ledger().countJobs(JobState.SUCCEEDED)).isEqualTo(1);
    assertThat(ledger().countJobs(JobState.FAILED)).isZero();
  }
}
