package dev.orgprovisioner.warehouse.bigquery;

import dev.orgprovisioner.execution.JobFence;
import dev.orgprovisioner.execution.JobLease;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The labels of every BigQuery job the worker runs, for cost attribution per tenant: the job the
 * calling thread works for (its {@link JobFence} lease: org, job id, command type), or {@code
 * command_type=none} for work outside a job (start-up bootstrap, the audit-row drainer, admin
 * reads).
 */
final class JobLabels {

  static final String APP = "app";
  static final String APP_VALUE = "org-provisioner";
  static final String COMMAND_TYPE = "command_type";
  static final String JOB_ID = "job_id";
  static final String ORG = "org";
  static final String NO_COMMAND = "none";
  static final String GROUP_COMMIT = "group_commit";

  /** BigQuery: label values of at most 63 characters. */
  private static final int MAX_LENGTH = 63;

  private JobLabels() {}

  /** The labels for a query started by the current thread. */
  static Map<String, String> current() {
    return of(JobFence.current());
  }

  static Map<String, String> of(Optional<JobLease> lease) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(APP, APP_VALUE);
    if (lease.isEmpty()) {
      labels.put(COMMAND_TYPE, NO_COMMAND);
      return labels;
    }
    JobLease job = lease.get();
    labels.put(COMMAND_TYPE, value(job.commandType().name()));
    labels.put(JOB_ID, value(job.jobId()));
    job.orgSlug().ifPresent(org -> labels.put(ORG, value(org)));
    return labels;
  }

  /**
   * The labels of one statement run for several callers: the labels all of them share (an org's or
   * job's own are dropped when they differ) and {@code group_commit} = how many callers.
   */
  static Map<String, String> common(java.util.List<Map<String, String>> callers) {
    Map<String, String> labels = new LinkedHashMap<>(callers.get(0));
    for (Map<String, String> other : callers) {
      labels.entrySet().removeIf(e -> !e.getValue().equals(other.get(e.getKey())));
    }
    labels.put(GROUP_COMMIT, String.valueOf(callers.size()));
    return labels;
  }

  /** A label value BigQuery accepts: lowercase letters, digits, {@code _} and {@code -}, ≤ 63. */
  static String value(String raw) {
    StringBuilder out = new StringBuilder();
    for (char c : raw.toLowerCase(Locale.ROOT).toCharArray()) {
      if (out.length() == MAX_LENGTH) {
        break;
      }
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      out.append(ok ? c : '_');
    }
    return out.toString();
  }
}
