package dev.orgprovisioner.cli;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.JobView;
import dev.orgprovisioner.execution.port.Ledger;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ops jobs list|show|retry}: the execution queue in Firestore. */
@Command(
    name = "jobs",
    description = "Jobs of the execution queue.",
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Retry.class})
final class JobsCommand {

  private JobsCommand() {}

  /** Runs work against the worker's ledger and closes the Firestore client afterwards. */
  private static <T> T withLedger(Connection c, java.util.function.Function<Ledger, T> work) {
    try (Firestore db = c.firestore()) {
      return work.apply(Connection.ledger(db, c.collectionPrefix));
    } catch (Exception e) {
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Jobs, newest first.")
  static final class ListJobs implements Runnable {
    @Mixin Connection connection;

    @Option(names = "--state", description = "QUEUED, RUNNING, SUCCEEDED or FAILED.")
    JobState state;

    @Option(names = "--org", description = "Only jobs of this org.")
    String org;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many.")
    int limit;

    @Option(names = "--cursor", description = "Continue after the page that printed it.")
    String cursor;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (limit < 1 || limit > 1000) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--limit must be between 1 and 1000");
      }
      String slug = org == null ? null : OrgSlug.parse(org).value();
      Ledger.JobPage page =
          withLedger(connection, l -> l.jobs(new Ledger.JobQuery(state, slug, limit, cursor)));
      List<JobView> jobs = page.jobs().stream().map(JobView::of).toList();
      PrintWriter out = spec.commandLine().getOut();
      if (page.nextCursor() != null) {
        // On stderr so that --json output stays one list.
        spec.commandLine().getErr().printf("More jobs: --cursor %s%n", page.nextCursor()).flush();
      }
      if (json) {
        Output.json(out, jobs);
        return;
      }
      out.printf(
          "%-36s %-28s %-24s %-9s %8s %8s %-27s %s%n",
          "JOB_ID", "TYPE", "ORG", "STATE", "PRIORITY", "ATTEMPTS", "CREATED", "LAST_ERROR");
      for (JobView j : jobs) {
        out.printf(
            "%-36s %-28s %-24s %-9s %8d %8d %-27s %s%n",
            j.jobId(),
            j.type(),
            Output.orDash(j.orgSlug()),
            j.state(),
            j.priority(),
            j.attempts(),
            j.createdAt(),
            j.lastError() == null ? "-" : j.lastError().code());
      }
      out.printf("%d job(s)%n", jobs.size());
      out.flush();
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One job with its step log and last error.")
  static final class Show implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(paramLabel = "<job-id>")
    String jobId;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Optional<JobView> job = withLedger(connection, l -> l.job(jobId).map(JobView::of));
      if (job.isEmpty()) {
        spec.commandLine().getErr().println("error: no job " + jobId);
        spec.commandLine().getErr().flush();
        return 1;
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Output.json(out, job.get());
        return 0;
      }
      JobView j = job.get();
      out.printf("job:             %s%n", j.jobId());
      out.printf("type:            %s%n", j.type());
      out.printf("org:             %s%n", Output.orDash(j.orgSlug()));
      out.printf("state:           %s%n", j.state());
      out.printf("priority:        %d%n", j.priority());
      out.printf("attempts:        %d%n", j.attempts());
      out.printf("next attempt:    %s%n", Output.orDash(j.nextAttemptAt()));
      out.printf("lease owner:     %s%n", Output.orDash(j.leaseOwner()));
      out.printf("command id:      %s%n", j.commandId());
      out.printf("idempotency key: %s%n", j.idempotencyKey());
      out.printf("trace:           %s%n", Output.orDash(j.traceId()));
      out.printf("created:         %s%n", j.createdAt());
      out.printf("updated:         %s%n", j.updatedAt());
      out.printf("completed steps: %s%n", j.completedSteps().isEmpty() ? "-" : "");
      j.completedSteps().forEach(s -> out.printf("  - %s%n", s));
      out.printf(
          "last error:      %s%n",
          j.lastError() == null
              ? "-"
              : j.lastError().code()
                  + " ("
                  + j.lastError().kind()
                  + "): "
                  + j.lastError().message());
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description =
          "Put a FAILED job back in the queue, due now (same job id and idempotency key); a"
              + " worker's sweep runs it.")
  static final class Retry implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(paramLabel = "<job-id>")
    String jobId;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Ledger.RetryResult result = withLedger(connection, l -> l.retryFailed(jobId, Instant.now()));
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (json && result.job() != null) {
        Output.json(
            out,
            java.util.Map.of("outcome", result.outcome().name(), "job", JobView.of(result.job())));
      }
      switch (result.outcome()) {
        case RETRIED -> {
          if (!json) {
            out.printf("job %s is QUEUED again, due now%n", jobId);
            out.flush();
          }
          return 0;
        }
        case NOT_FOUND -> err.println("error: no job " + jobId);
        case NOT_FAILED ->
            err.println(
                "error: job "
                    + jobId
                    + " is "
                    + result.job().state()
                    + "; only FAILED jobs can be retried");
        case KEY_TAKEN ->
            err.println(
                "error: the idempotency key of job " + jobId + " now belongs to another job");
      }
      err.flush();
      return 1;
    }
  }
}
