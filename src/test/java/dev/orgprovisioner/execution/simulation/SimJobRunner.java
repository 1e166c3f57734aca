package dev.orgprovisioner.execution.simulation;

import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.execution.port.JobRunner;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.execution.port.StepLog.LeaseLostException;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Runs simulated jobs shaped like {@code ProvisioningJobs}: onboarding = a dataset step of several
 * calls, then a rows step writing the org's central rows keyed; sync = a few calls. Checks the
 * lease before every warehouse call and records each step through the step log.
 */
final class SimJobRunner implements JobRunner {

  static final String STEP_DATASET = "provision-dataset";
  static final String STEP_ROWS = "central-rows";
  static final String ALREADY_EXISTED = "already_existed";

  /** Central tables and the keys of an org's rows in them (the audit row is per job). */
  static final Map<String, List<String>> ORG_ROWS =
      Collections.unmodifiableMap(
          new TreeMap<>(
              Map.of(
                  "org_profiles",
                  List.of(""),
                  "org_subscriptions",
                  List.of("_subscription"),
                  "org_usage_quotas",
                  List.of("_usage"),
                  "org_hierarchy_levels",
                  List.of("_level_1", "_level_2", "_level_3"))));

  private final Warehouse warehouse;
  private final SimulationStats stats;
  private final Runnable pause;
  private final boolean converge;

  /**
   * @param converge true: the first attempt's "already existed" is remembered and the org's rows
   *     are written (keyed) whether or not its profile existed, so a half-done earlier onboarding
   *     is completed; false: as {@code ProvisioningJobs} does today — decided anew by every
   *     attempt, rows skipped when the profile exists
   */
  SimJobRunner(Warehouse warehouse, SimulationStats stats, Runnable pause, boolean converge) {
    this.warehouse = warehouse;
    this.stats = stats;
    this.pause = pause;
    this.converge = converge;
  }

  /** Between two calls the worker's thread may stall (other actions run, the clock may move). */
  private void checkLease(StepLog steps) {
    pause.run();
    steps.checkLease();
  }

  @Override
  public String failureEventType(CommandType type) {
    return switch (type) {
      case ONBOARD -> "org.onboarding.failed";
      case SYNC -> "org.sync.failed";
      case BOOTSTRAP -> "central.bootstrap.failed";
      case ROTATE_API_KEY -> "org.api_key.rotation.failed";
      case CHANGE_PLAN -> "org.plan.change.failed";
      case OFFBOARD, OFFBOARD_DEADLINE -> "org.offboard.failed";
      case RESTORE -> "org.restore.failed";
      case DRIFT_CHECK -> "drift.check.failed";
      case ROLLOUT_START, ROLLOUT_RESUME, ROLLOUT_HALT, ROLLOUT_ABORT, ROLLOUT_WAVE_ENDED ->
          "rollout.failed";
    };
  }

  @Override
  public JobResult run(Job job, StepLog steps) {
    Command command = CommandDecoder.commandOf(job.type(), job.data());
    try {
      if (command instanceof Command.Onboard onboard) {
        return onboard(job, onboard, steps);
      }
      if (command instanceof Command.Sync sync) {
        return sync(sync, steps);
      }
      throw new JobFailedException(
          ErrorInfo.permanent("NOT_SUPPORTED", job.type().ceType() + " is not simulated"),
          null,
          null);
    } catch (WarehouseException e) {
      throw new JobFailedException(
          e.isTransient()
              ? ErrorInfo.transientError("WAREHOUSE_TRANSIENT", e.getMessage())
              : ErrorInfo.permanent("WAREHOUSE_" + e.kind(), e.getMessage()),
          null,
          e);
    } catch (LeaseLostException e) {
      stats.leaseLosses++;
      throw e;
    }
  }

  private JobResult onboard(Job job, Command.Onboard cmd, StepLog steps) {
    String org = cmd.orgSlug().value();
    checkLease(steps);
    List<Map<String, Object>> existing =
        warehouse.selectRows(InstanceWarehouse.CENTRAL, "org_profiles", Map.of("org_slug", org), 1);
    if (!existing.isEmpty()
        && (!Objects.equals(existing.get(0).get("company_name"), cmd.companyName())
            || !Objects.equals(existing.get(0).get("admin_email"), cmd.adminEmail()))) {
      throw new JobFailedException(
          ErrorInfo.permanent("ORG_EXISTS", "org '" + org + "' exists with other details"),
          null,
          null);
    }
    boolean existsNow = !existing.isEmpty() && !steps.isDone(STEP_ROWS);
    boolean alreadyExisted =
        converge
            ? Boolean.parseBoolean(steps.remember(ALREADY_EXISTED, String.valueOf(existsNow)))
            : existsNow;
    if (!steps.isDone(STEP_DATASET)) {
      String dataset = InstanceWarehouse.datasetOf(org);
      for (PlanStep step :
          List.<PlanStep>of(
              new PlanStep.CreateDataset(dataset, "EU", "org " + org, Map.of()),
              new PlanStep.UpdateDataset(dataset, "tables of " + org, Map.of()),
              new PlanStep.UpdateDataset(dataset, "views of " + org, Map.of()))) {
        checkLease(steps);
        warehouse.apply(step);
      }
      steps.completed(STEP_DATASET);
    }
    if (!steps.isDone(STEP_ROWS)) {
      if (converge || !alreadyExisted) {
        for (Map.Entry<String, List<String>> table : ORG_ROWS.entrySet()) {
          List<Map<String, Object>> rows = new ArrayList<>();
          for (String suffix : table.getValue()) {
            rows.add(row(org, org + suffix, cmd));
          }
          checkLease(steps);
          warehouse.upsertRows(InstanceWarehouse.CENTRAL, table.getKey(), List.of("id"), rows);
        }
      }
      checkLease(steps);
      warehouse.upsertRows(
          InstanceWarehouse.CENTRAL,
          "org_audit_logs",
          List.of("id"),
          List.of(row(org, "job_" + job.id(), cmd)));
      steps.completed(STEP_ROWS);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org);
    data.put(ALREADY_EXISTED, alreadyExisted);
    return new JobResult("org.onboarded", data);
  }

  private static Map<String, Object> row(String org, String id, Command.Onboard cmd) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("org_slug", org);
    row.put("company_name", cmd.companyName());
    row.put("admin_email", cmd.adminEmail());
    return row;
  }

  private JobResult sync(Command.Sync cmd, StepLog steps) {
    String org = cmd.orgSlug().value();
    String dataset = InstanceWarehouse.datasetOf(org);
    checkLease(steps);
    warehouse.selectRows(InstanceWarehouse.CENTRAL, "org_profiles", Map.of("org_slug", org), 1);
    for (String what : List.of("columns", "views")) {
      checkLease(steps);
      warehouse.apply(new PlanStep.UpdateDataset(dataset, what + " of " + org, Map.of()));
    }
    return new JobResult("org.synced", Map.of("org_slug", org));
  }
}
