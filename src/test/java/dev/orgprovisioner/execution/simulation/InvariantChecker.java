package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.NextInLine;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.JobQueue.JobPage;
import dev.orgprovisioner.execution.port.JobQueue.JobQuery;
import dev.orgprovisioner.execution.port.Ledger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The invariants (docs/execution-simulation.md): safety online at every warehouse call's start —
 * (a) one job per org inside the warehouse, (b) no call under a superseded or lapsed lease — and,
 * after the schedule, (c) one terminal event per accepted command, (e) every succeeded org's rows
 * exactly once and (f) one org's jobs finishing in the order they came. (d) is the drain's bound. A
 * violation is thrown as {@link Violation.Found}.
 */
final class InvariantChecker {

  private static final class Interval {
    final WarehouseCall call;
    Instant end;

    Interval(WarehouseCall call) {
      this.call = call;
    }
  }

  private final Ledger truth;
  private final FinishLog finishes;
  private final Duration callTimeout;
  private final Map<String, List<Interval>> byOrg = new LinkedHashMap<>();
  private final Map<String, String> jobOfScope = new LinkedHashMap<>();

  /**
   * @param truth the shared ledger itself, read without faults (what is really stored)
   */
  InvariantChecker(Ledger truth, FinishLog finishes, Duration callTimeout) {
    this.truth = truth;
    this.finishes = finishes;
    this.callTimeout = callTimeout;
  }

  static void fail(char invariant, String message) {
    throw new Violation.Found(new Violation(invariant, message));
  }

  static String scopeOf(Job job) {
    return job.type().ceType() + "|" + job.orgSlug() + "|" + job.idempotencyKey();
  }

  // ------------------------------------------------------------------ online: (a), (b)

  void callStarted(WarehouseCall call) {
    Job job = truth.job(call.jobId()).orElse(null);
    if (job == null || job.epoch() != call.epoch()) {
      fail(
          'b',
          "call "
              + call
              + " started after its epoch was superseded: the ledger has epoch "
              + (job == null ? "none" : job.epoch()));
    }
    if (job.state() != JobState.RUNNING
        || !call.instance().equals(job.leaseOwner())
        || !job.leaseExpiresAt().isAfter(call.start())) {
      fail(
          'b',
          "call "
              + call
              + " started at "
              + call.start()
              + " without the lease: the job is "
              + job.state()
              + " leased by "
              + job.leaseOwner()
              + " until "
              + job.leaseExpiresAt());
    }
    List<Interval> calls = byOrg.computeIfAbsent(call.org(), o -> new ArrayList<>());
    for (Iterator<Interval> it = calls.iterator(); it.hasNext(); ) {
      Interval other = it.next();
      Instant otherEnd = other.end != null ? other.end : other.call.start().plus(callTimeout);
      if (!call.start().isBefore(otherEnd)) {
        it.remove();
      } else if (!other.call.jobId().equals(call.jobId()) || other.call.epoch() != call.epoch()) {
        fail(
            'a',
            "call "
                + call
                + " started while "
                + other.call
                + " was inside the warehouse (until "
                + (other.end == null ? "its timeout" : other.end)
                + ")");
      }
    }
    calls.add(new Interval(call));
  }

  void callEnded(WarehouseCall call, Instant end) {
    for (Interval interval : byOrg.getOrDefault(call.org(), List.of())) {
      if (interval.call.seq() == call.seq()) {
        interval.end = end;
      }
    }
  }

  // ------------------------------------------------------------------ online: answers, (c)

  /** What the intake answered a valid message: one job per key, and always that job's answer. */
  void decided(CommandFeed.Message message, IntakeDecision decision) {
    String jobId;
    if (decision instanceof IntakeDecision.Enqueued e) {
      jobId = e.job().id();
      String known = jobOfScope.get(message.scope());
      if (known != null && !known.equals(jobId)) {
        fail('c', message.describe() + " created job " + jobId + " but its key has job " + known);
      }
    } else if (decision instanceof IntakeDecision.AlreadyInFlight f) {
      jobId = f.jobId();
    } else if (decision instanceof IntakeDecision.Republish r) {
      if (r.event() == null) {
        fail('c', message.describe() + " was answered with no stored terminal event");
      }
      jobId = finishes.jobOf(r.event().id());
      if (jobId == null) {
        fail(
            'c',
            message.describe()
                + " was answered with event "
                + r.event().id()
                + " that no applied finish stored");
      }
    } else {
      IntakeDecision.Reject reject = (IntakeDecision.Reject) decision;
      // A claim the ledger refused for good is dead-lettered with its reason: it ends in the DLQ.
      if (reject.rejection().code() != RejectionCode.IDEMPOTENCY_KEY_REUSED
          && reject.rejection().code() != RejectionCode.LEDGER_REJECTED) {
        fail('c', "valid " + message.describe() + " was rejected: " + reject.rejection());
      }
      return;
    }
    Job job = truth.job(jobId).orElse(null);
    if (job == null || !scopeOf(job).equals(message.scope())) {
      fail('c', message.describe() + " was answered for job " + jobId + " of another key");
    }
    if (decision instanceof IntakeDecision.AlreadyInFlight && job.state().isTerminal()) {
      fail(
          'c',
          message.describe()
              + " was answered 'in flight' for job "
              + jobId
              + ", which is "
              + job.state());
    }
    String known = jobOfScope.putIfAbsent(message.scope(), jobId);
    if (known != null && !known.equals(jobId)) {
      fail('c', message.describe() + " was answered for job " + jobId + ", its key has " + known);
    }
  }

  /** Every event the relay published is the terminal event of a finish the ledger applied. */
  void published(OutboxEvent event) {
    if (finishes.jobOf(event.id()) == null) {
      fail('c', "event " + event.id() + " (" + event.type() + ") published without a finish");
    }
  }

  // ------------------------------------------------------------------ after the drain: (c), (e)

  static List<Job> allJobs(Ledger ledger) {
    List<Job> all = new ArrayList<>();
    JobPage page = ledger.jobs(JobQuery.first(null, null, 1000));
    all.addAll(page.jobs());
    while (page.nextCursor() != null) {
      page = ledger.jobs(new JobQuery(null, null, 1000, page.nextCursor()));
      all.addAll(page.jobs());
    }
    return all;
  }

  void checkTerminalEvents(List<Job> jobs) {
    Map<String, String> byScope = new LinkedHashMap<>();
    for (Job job : jobs) {
      String other = byScope.put(scopeOf(job), job.id());
      if (other != null) {
        fail('c', "jobs " + other + " and " + job.id() + " were both created for " + scopeOf(job));
      }
      List<String> events = finishes.terminalEvents(job.id());
      if (!job.state().isTerminal() || events.size() != 1) {
        fail('c', "job " + job.id() + " is " + job.state() + " with terminal events " + events);
      }
      OutboxEvent event = truth.event(events.get(0)).orElse(null);
      if (event == null
          || !job.commandId().equals(event.attributes().get(EventFactory.CORRELATION_ID))
          || !event.type().equals(expectedType(job))) {
        fail('c', "job " + job.id() + " (" + job.state() + ") has terminal event " + event);
      }
    }
  }

  void checkOrgOrder(List<Job> jobs) {
    Map<String, List<Job>> byOrg = new LinkedHashMap<>();
    for (Job job : jobs) {
      byOrg.computeIfAbsent(job.lockKey(), k -> new ArrayList<>()).add(job);
    }
    for (List<Job> line : byOrg.values()) {
      List<Job> inOrder = line.stream().sorted(NextInLine.ARRIVAL_ORDER).toList();
      for (int i = 1; i < inOrder.size(); i++) {
        Job before = inOrder.get(i - 1);
        Job after = inOrder.get(i);
        if (finishes.firstFinishIndex(after.id()) < finishes.firstFinishIndex(before.id())) {
          fail(
              'f',
              "org "
                  + after.lockKey()
                  + ": job "
                  + after.id()
                  + " finished before "
                  + before.id()
                  + ", which came first");
        }
      }
    }
  }

  private static String expectedType(Job job) {
    boolean onboard = job.type().ceType().startsWith("org.onboard");
    if (job.state() == JobState.SUCCEEDED) {
      return onboard ? "org.onboarded" : "org.synced";
    }
    return onboard ? "org.onboarding.failed" : "org.sync.failed";
  }

  void checkRows(List<Job> jobs, RecordingWarehouse warehouse) {
    Map<String, List<Job>> succeeded = new LinkedHashMap<>();
    for (Job job : jobs) {
      if (job.state() == JobState.SUCCEEDED && job.type().ceType().startsWith("org.onboard")) {
        succeeded.computeIfAbsent(job.orgSlug(), o -> new ArrayList<>()).add(job);
      }
    }
    for (Map.Entry<String, List<Job>> org : succeeded.entrySet()) {
      String slug = org.getKey();
      Set<String> companies = new TreeSet<>();
      for (Job job : org.getValue()) {
        companies.add(
            CommandDecoder.commandOf(job.type(), job.data())
                    instanceof dev.orgprovisioner.command.Command.Onboard o
                ? o.companyName()
                : "?");
        if (warehouse.row("org_audit_logs", "job_" + job.id()) == null) {
          fail('e', "org " + slug + ": no audit row of its succeeded onboarding " + job.id());
        }
      }
      for (Map.Entry<String, List<String>> table : SimJobRunner.ORG_ROWS.entrySet()) {
        Map<String, RecordingWarehouse.Row> rows = warehouse.rows(table.getKey(), slug);
        Set<String> expected = new TreeSet<>();
        table.getValue().forEach(suffix -> expected.add(slug + suffix));
        if (!rows.keySet().equals(expected)) {
          fail(
              'e',
              "org "
                  + slug
                  + " succeeded onboarding but "
                  + table.getKey()
                  + " has rows "
                  + rows.keySet()
                  + ", expected "
                  + expected);
        }
        for (RecordingWarehouse.Row row : rows.values()) {
          if (companies.size() != 1 || !companies.contains(row.values().get("company_name"))) {
            fail(
                'e',
                "org "
                    + slug
                    + ": row "
                    + row
                    + " disagrees with its succeeded onboardings "
                    + companies);
          }
        }
      }
    }
  }
}
