package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.DatasetSettingsJson;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.command.Command;
import dev.orgprovisioner.command.SubscriptionPlan;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.port.StepLog;
import dev.orgprovisioner.warehouse.Warehouse;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rows an org owns in the central dataset (profile, subscription, quota, API key, hierarchy
 * levels, audit entry): written with keyed upserts, then read back, so a repeated run converges and
 * never duplicates. A row that cannot be read back is a transient failure.
 */
public final class CentralRows {

  static final String PROFILES = ProvisioningService.PROFILES_TABLE;
  static final String SUBSCRIPTIONS = "org_subscriptions";
  static final String QUOTAS = "org_usage_quotas";
  static final String API_KEYS = "org_api_keys";
  static final String LEVELS = "org_hierarchy_levels";
  static final String AUDIT = "org_audit_logs";

  private static final String[][] DEFAULT_LEVELS = {
    {"department", "Department", "Departments", "DEPT"},
    {"project", "Project", "Projects", "PROJ"},
    {"team", "Team", "Teams", "TEAM"}
  };

  /** One row of a central table and the columns that identify it. */
  public record Row(String table, List<String> key, Map<String, Object> values) {

    public Map<String, Object> keyValues() {
      Map<String, Object> out = new LinkedHashMap<>();
      key.forEach(k -> out.put(k, values.get(k)));
      return out;
    }

    /** e.g. {@code org_hierarchy_levels:acme_level_1}, as reported in events. */
    public String describe() {
      return table
          + ":"
          + String.join("|", keyValues().values().stream().map(String::valueOf).toList());
    }
  }

  private final Warehouse warehouse;
  private final String central;
  private final ProvisioningSettings settings;
  private final Set<String> tables;
  private final Map<String, String> partitionColumns = new HashMap<>();

  /**
   * @param centralTables the central catalog's tables: rows of others are never completed
   */
  public CentralRows(
      Warehouse warehouse,
      String centralDataset,
      Collection<TableDef> centralTables,
      ProvisioningSettings settings) {
    this.warehouse = warehouse;
    this.central = centralDataset;
    this.tables = centralTables.stream().map(TableDef::name).collect(Collectors.toSet());
    centralTables.stream()
        .filter(t -> t.partitioning() != null)
        .forEach(t -> partitionColumns.put(t.name(), t.partitioning().field()));
    this.settings = settings;
  }

  /**
   * The rows a new org's onboarding writes, all stamped {@code at} (fixed at the job's first
   * attempt, so every attempt writes the same rows, the quota row of the same day included).
   */
  public List<Row> forNewOrg(
      Command.Onboard cmd, String location, Instant at, String jobId, String commandId) {
    String org = cmd.orgSlug().value();
    List<Row> rows = new ArrayList<>();
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("org_slug", org);
    profile.put("company_name", cmd.companyName());
    profile.put("admin_email", cmd.adminEmail());
    profile.put("org_dataset_id", settings.orgDataset(cmd.orgSlug()));
    profile.put("status", "ACTIVE");
    profile.put("subscription_plan", cmd.subscriptionPlan().name());
    profile.put("default_currency", cmd.defaultCurrency());
    profile.put("default_timezone", cmd.defaultTimezone());
    profile.put("created_at", at);
    profile.put("updated_at", at);
    profile.put(ProvisioningService.LOCATION_COLUMN, location);
    if (!cmd.datasetSettings().isEmpty()) {
      profile.put(
          RecordedDataset.SETTINGS_COLUMN, DatasetSettingsJson.write(cmd.datasetSettings()));
    }
    if (cmd.access() != null && !cmd.access().isEmpty()) {
      profile.put(AccessGrants.COLUMN, AccessGrants.json(cmd.access()));
    }
    rows.add(new Row(PROFILES, List.of("org_slug"), profile));
    rows.add(subscription(org, cmd.subscriptionPlan(), at));
    rows.add(quota(org, cmd.subscriptionPlan(), at));
    apiKey(cmd, at).ifPresent(rows::add);
    rows.addAll(levels(org, at));
    rows.add(audit(org, jobId, commandId, "ORG_ONBOARDED", at));
    return rows;
  }

  /**
   * The rows an org with this profile should have and that can be derived from it: subscription and
   * quota of its plan, the default hierarchy levels. Stamped with the profile's creation time.
   */
  public List<Row> derivedFrom(Map<String, Object> profile) {
    String org = String.valueOf(profile.get("org_slug"));
    Instant at = instant(profile.get("created_at"));
    List<Row> rows = new ArrayList<>();
    plan(profile.get("subscription_plan"))
        .ifPresent(
            plan -> {
              rows.add(subscription(org, plan, at));
              rows.add(quota(org, plan, at));
            });
    rows.addAll(levels(org, at));
    return rows;
  }

  /** The audit entry of one job. */
  public Row audit(String org, String jobId, String commandId, String action, Instant at) {
    Map<String, Object> audit = new LinkedHashMap<>();
    audit.put("audit_id", "job_" + jobId);
    audit.put("org_slug", org);
    audit.put("action", action);
    audit.put("resource_type", "ORGANIZATION");
    audit.put("resource_id", org);
    audit.put("request_id", commandId);
    audit.put("status", "SUCCESS");
    audit.put("created_at", at);
    return new Row(AUDIT, List.of("audit_id"), audit);
  }

  /** The command's API key row, if it names a key. */
  public Optional<Row> apiKey(Command.Onboard cmd, Instant at) {
    if (cmd.apiKeySha256() == null) {
      return Optional.empty();
    }
    String org = cmd.orgSlug().value();
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("org_api_key_id", org + "_" + cmd.apiKeySha256().substring(0, 12));
    key.put("org_slug", org);
    key.put("org_api_key_hash", cmd.apiKeySha256());
    key.put("is_active", true);
    key.put("created_at", at);
    return Optional.of(new Row(API_KEYS, List.of("org_api_key_id"), key));
  }

  /**
   * Writes every row (a keyed upsert per table, all in one transaction where the warehouse has
   * them), then reads them back.
   */
  public void write(List<Row> rows, StepLog steps) {
    steps.checkLease();
    warehouse.upsertAll(
        central,
        byTable(rows).stream()
            .map(
                batch ->
                    new Warehouse.TableRows(
                        batch.get(0).table(),
                        batch.get(0).key(),
                        batch.stream().map(Row::values).toList()))
            .toList());
    verify(rows, steps);
  }

  /**
   * Writes those of {@code candidates} whose table holds no row of the org yet (the org's own rows
   * are never overwritten: a changed plan or a revoked key stays as it is), and returns them.
   * Candidates identified by a key of their own (API keys) are looked up by that key.
   */
  public List<Row> completeMissing(String org, List<Row> candidates, StepLog steps) {
    List<Row> missing = missing(org, candidates, steps::checkLease);
    if (!missing.isEmpty()) {
      write(missing, steps);
    }
    return missing;
  }

  /**
   * Those of {@code candidates} whose table holds no row of the org yet (API keys: no row with
   * their key), read only; {@code beforeRead} runs before each lookup.
   */
  List<Row> missing(String org, List<Row> candidates, Runnable beforeRead) {
    List<Row> missing = new ArrayList<>();
    for (List<Row> batch : byTable(candidates)) {
      Row first = batch.get(0);
      if (!tables.contains(first.table())) {
        continue;
      }
      Map<String, Object> lookup =
          first.table().equals(API_KEYS) ? first.keyValues() : Map.of("org_slug", org);
      beforeRead.run();
      if (warehouse.selectRows(central, first.table(), lookup, 1).isEmpty()) {
        missing.addAll(batch);
      }
    }
    return missing;
  }

  /** Reads every row back by its key; one that is not there fails the job, to be retried. */
  void verify(List<Row> rows, StepLog steps) {
    List<String> absent = new ArrayList<>();
    for (List<Row> batch : byTable(rows)) {
      Row first = batch.get(0);
      Map<String, Object> lookup =
          new LinkedHashMap<>(
              batch.size() == 1
                  ? first.keyValues()
                  : Map.of("org_slug", first.values().get("org_slug")));
      // The rows' partition, when they share one: BigQuery then reads that partition, not the
      // whole table (an audit table of 10,000 orgs is tens of GB).
      String partition = partitionColumns.get(first.table());
      if (partition != null) {
        Set<Object> values = new HashSet<>();
        batch.forEach(r -> values.add(r.values().get(partition)));
        if (values.size() == 1 && !values.contains(null)) {
          lookup.put(partition, first.values().get(partition));
        }
      }
      steps.checkLease();
      List<Map<String, Object>> found =
          warehouse.selectRows(central, first.table(), lookup, 10_000);
      for (Row row : batch) {
        boolean present =
            found.stream()
                .anyMatch(
                    f ->
                        row.key().stream()
                            .allMatch(
                                k -> Objects.equals(text(f.get(k)), text(row.values().get(k)))));
        if (!present) {
          absent.add(row.describe());
        }
      }
    }
    if (!absent.isEmpty()) {
      throw new JobFailedException(
          ErrorInfo.transientError(
              "CENTRAL_ROW_MISSING",
              "rows written to " + central + " could not be read back: " + absent),
          null,
          null);
    }
  }

  private static List<List<Row>> byTable(List<Row> rows) {
    Map<String, List<Row>> tables = new LinkedHashMap<>();
    rows.forEach(r -> tables.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r));
    return new ArrayList<>(tables.values());
  }

  private static Row subscription(String org, SubscriptionPlan plan, Instant at) {
    Map<String, Object> subscription = new LinkedHashMap<>();
    subscription.put("subscription_id", org + "_subscription");
    subscription.put("org_slug", org);
    subscription.put("plan_name", plan.name());
    subscription.put("status", "TRIAL");
    subscription.put("daily_limit", (long) plan.dailyLimit());
    subscription.put("monthly_limit", (long) plan.monthlyLimit());
    subscription.put("concurrent_limit", (long) plan.concurrentLimit());
    subscription.put("seat_limit", (long) plan.seatLimit());
    subscription.put("providers_limit", (long) plan.providersLimit());
    subscription.put("trial_end_date", day(at).plusDays(14));
    subscription.put("created_at", at);
    subscription.put("updated_at", at);
    return new Row(SUBSCRIPTIONS, List.of("subscription_id"), subscription);
  }

  private static Row quota(String org, SubscriptionPlan plan, Instant at) {
    LocalDate day = day(at);
    Map<String, Object> quota = new LinkedHashMap<>();
    quota.put("usage_id", org + "_" + day);
    quota.put("org_slug", org);
    quota.put("usage_date", day);
    quota.put("pipelines_run_today", 0L);
    quota.put("pipelines_succeeded_today", 0L);
    quota.put("pipelines_failed_today", 0L);
    quota.put("pipelines_run_month", 0L);
    quota.put("concurrent_pipelines_running", 0L);
    quota.put("daily_limit", (long) plan.dailyLimit());
    quota.put("monthly_limit", (long) plan.monthlyLimit());
    quota.put("concurrent_limit", (long) plan.concurrentLimit());
    quota.put("seat_limit", (long) plan.seatLimit());
    quota.put("providers_limit", (long) plan.providersLimit());
    quota.put("last_updated", at);
    quota.put("created_at", at);
    return new Row(QUOTAS, List.of("usage_id"), quota);
  }

  private static List<Row> levels(String org, Instant at) {
    List<Row> levels = new ArrayList<>();
    for (int i = 0; i < DEFAULT_LEVELS.length; i++) {
      Map<String, Object> level = new LinkedHashMap<>();
      level.put("id", org + "_level_" + (i + 1));
      level.put("org_slug", org);
      level.put("level", (long) (i + 1));
      level.put("level_code", DEFAULT_LEVELS[i][0]);
      level.put("level_name", DEFAULT_LEVELS[i][1]);
      level.put("level_name_plural", DEFAULT_LEVELS[i][2]);
      level.put("parent_level", i == 0 ? null : (long) i);
      level.put("is_required", i == 0);
      level.put("is_leaf", i == DEFAULT_LEVELS.length - 1);
      level.put("id_prefix", DEFAULT_LEVELS[i][3]);
      level.put("id_auto_generate", true);
      level.put("display_order", (long) (i + 1));
      level.put("is_active", true);
      level.put("created_at", at);
      level.put("created_by", "org-provisioner");
      levels.add(new Row(LEVELS, List.of("id"), level));
    }
    return levels;
  }

  private static LocalDate day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  private static Optional<SubscriptionPlan> plan(Object name) {
    return Arrays.stream(SubscriptionPlan.values())
        .filter(p -> p.name().equals(String.valueOf(name)))
        .findFirst();
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  /** A timestamp as the warehouses return it (BigQuery: Instant; DuckDB: JDBC types). */
  static Instant instant(Object value) {
    if (value instanceof Instant i) {
      return i;
    }
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof ZonedDateTime z) {
      return z.toInstant();
    }
    if (value instanceof Timestamp t) {
      return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
    if (value instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    }
    if (value instanceof String s) {
      return Instant.parse(s);
    }
    throw new IllegalArgumentException("not a timestamp: " + value);
  }
}
