package dev.orgprovisioner.execution;

/**
 * The fencing token of one claim of a job: every ledger write about the job carries it and is
 * refused unless the job is still RUNNING under this owner and epoch with an unexpired lease.
 *
 * @param epoch incremented by every claim of the job; a higher epoch supersedes a lower one
 */
public record Lease(String jobId, String owner, long epoch) {

  @Override
  public String toString() {
    return jobId + "@" + epoch + " (" + owner + ")";
  }
}
