package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.execution.JobLease;
import dev.orgprovisioner.execution.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The labels of BigQuery jobs: whose job they run for, within BigQuery's label rules. */
class JobLabelsTest {

  static JobLease lease(String jobId, CommandType type, String org) {
    Instant far = Instant.now().plus(Duration.ofHours(1));
    return new JobLease(new Lease(jobId, "worker-1", 1), type, org, far, Duration.ZERO, far);
  }

  @Test
  void aJobsQueries_carryItsOrgJobIdAndCommandType() {
    assertThat(
            JobFence.under(
                lease("5f0c-AB12", CommandType.ONBOARD, "acme_inc"), () -> JobLabels.current()))
        .containsExactly(
            Map.entry("app", "org-provisioner"),
            Map.entry("command_type", "onboard"),
            Map.entry("job_id", "5f0c-ab12"),
            Map.entry("org", "acme_inc"));
  }

  @Test
  void aJobOfNoOneOrg_hasNoOrgLabel() {
    assertThat(JobLabels.of(Optional.of(lease("j1", CommandType.DRIFT_CHECK, null))))
        .containsEntry("command_type", "drift_check")
        .doesNotContainKey("org");
  }

  @Test
  void workOutsideAJob_isLabelledAsNoCommand() {
    assertThat(JobLabels.current())
        .containsExactly(Map.entry("app", "org-provisioner"), Map.entry("command_type", "none"));
  }

  @Test
  void aStatementForSeveralJobs_keepsOnlyTheLabelsTheyShare_andCountsThem() {
    Map<String, String> a = JobLabels.of(Optional.of(lease("j1", CommandType.ONBOARD, "acme")));
    Map<String, String> b = JobLabels.of(Optional.of(lease("j2", CommandType.ONBOARD, "beta")));
    assertThat(JobLabels.common(java.util.List.of(a, b)))
        .containsExactly(
            Map.entry("app", "org-provisioner"),
            Map.entry("command_type", "onboard"),
            Map.entry("group_commit", "2"));
  }

  @Test
  void values_areLowercasedStrippedOfOtherCharactersAndCutAt63() {
    assertThat(JobLabels.value("Job/ID.β 7")).isEqualTo("job_id___7");
    assertThat(JobLabels.value("x".repeat(80))).hasSize(63);
  }
}
