package dev.orgprovisioner.warehouse.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.EncryptionConfiguration;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TimePartitioning;
import com.google.cloud.bigquery.ViewDefinition;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.catalog.Scope;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewTemplate;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.PlanStep.AddColumns;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.plan.PlanStep.CreateTable;
import dev.orgprovisioner.plan.PlanStep.RelaxColumns;
import dev.orgprovisioner.plan.PlanStep.UpdateDataset;
import dev.orgprovisioner.plan.PlanStep.UpdateTableOptions;
import dev.orgprovisioner.plan.TableOption;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.Quota;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Applies plan steps through the BigQuery API: dataset, table and view creates and patches. */
final class BigQueryPlanSteps {

  private static final long MILLIS_PER_DAY = 86_400_000L;

  private final BigQueryCalls calls;
  private final BigQuery bigquery;
  private final QuotaGate gate;

  BigQueryPlanSteps(BigQueryCalls calls, QuotaGate gate) {
    this.calls = calls;
    this.bigquery = calls.client();
    this.gate = gate;
  }

  /**
   * One metadata call through the quota gate: it waits for a token of the quota for {@code key},
   * and a 403 rateLimitExceeded slows that bucket down before the failure goes on (to the retry).
   */
  private <T> T gated(Quota quota, String key, Supplier<T> call) throws InterruptedException {
    gate.acquire(quota, key);
    try {
      return call.get();
    } catch (BigQueryException e) {
      if (BigQueryErrors.isRateLimited(e)) {
        gate.rateLimited(quota, key);
      }
      throw e;
    }
  }

  /**
   * A create: the table's own quota first, then the per-user tables.insert one, which the call then
   * follows at once (a slot of tables.insert stays usable a tenth of its 1 s window, one of the
   * table's ten times longer; waiting for the table's after the user's would make the busy quota's
   * call late). A refusal cannot say which quota it was: both slow down.
   */
  private <T> T created(String table, Supplier<T> call) throws InterruptedException {
    gate.acquire(Quota.TABLE_METADATA, table);
    return gated(
        Quota.TABLES_INSERT,
        "user",
        () -> {
          try {
            return call.get();
          } catch (BigQueryException e) {
            if (BigQueryErrors.isRateLimited(e)) {
              gate.rateLimited(Quota.TABLE_METADATA, table);
            }
            throw e;
          }
        });
  }

  void apply(PlanStep step) {
    try {
      // Java 17: no pattern switch; the sealed hierarchy keeps this list complete.
      if (step instanceof CreateDataset s) {
        createDataset(s);
      } else if (step instanceof UpdateDataset s) {
        updateDataset(s);
      } else if (step instanceof CreateTable s) {
        createTable(s);
      } else if (step instanceof AddColumns s) {
        patchSchema(s.dataset(), s.table(), f -> BigQuerySchemas.addColumns(f, s.additions()));
      } else if (step instanceof RelaxColumns s) {
        patchSchema(s.dataset(), s.table(), f -> BigQuerySchemas.relax(f, s.paths()));
      } else if (step instanceof UpdateTableOptions s) {
        updateTableOptions(s);
      } else if (step instanceof CreateOrReplaceView s) {
        createOrReplaceView(s);
      } else {
        throw new IllegalArgumentException("unknown step " + step);
      }
    } catch (BigQueryException e) {
      throw BigQueryErrors.map(step.describe(), e);
    } catch (IllegalArgumentException e) {
      throw new WarehouseException(
          Kind.PERMANENT, step.describe() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      throw BigQueryErrors.interrupted(step.describe(), e);
    }
  }

  private void createDataset(CreateDataset s) throws InterruptedException {
    DatasetId id = DatasetId.of(calls.project(), Identifiers.dataset(s.dataset()));
    DatasetInfo info =
        withSettings(
                DatasetInfo.newBuilder(id)
                    .setLocation(s.location())
                    .setDescription(s.description())
                    .setLabels(s.labels()),
                s.settings())
            .build();
    try {
      gated(Quota.DATASET_METADATA, s.dataset(), () -> bigquery.create(info));
    } catch (BigQueryException e) {
      String what = "dataset " + s.dataset();
      requireOursIfDuplicate(e, () -> bigquery.getDataset(id), Dataset::getLabels, what, what);
    }
  }

  private void updateDataset(UpdateDataset s) throws InterruptedException {
    DatasetId id = DatasetId.of(calls.project(), Identifiers.dataset(s.dataset()));
    // datasets.patch merges labels key by key, so labels added by others survive; options not
    // managed (null) are not sent and stay as they are.
    DatasetInfo patch =
        withSettings(
                DatasetInfo.newBuilder(id)
                    .setDescription(s.description() == null ? "" : s.description())
                    .setLabels(s.labels()),
                s.settings())
            .build();
    gated(Quota.DATASET_METADATA, s.dataset(), () -> bigquery.update(patch));
  }

  /** The managed options of a dataset create or patch (labels are set by the caller). */
  static DatasetInfo.Builder withSettings(DatasetInfo.Builder b, DatasetSettings s) {
    if (s.defaultTableExpiration() != null) {
      b.setDefaultTableLifetime(s.defaultTableExpiration().toMillis());
    }
    if (s.defaultPartitionExpiration() != null) {
      b.setDefaultPartitionExpirationMs(s.defaultPartitionExpiration().toMillis());
    }
    if (s.maxTimeTravel() != null) {
      b.setMaxTimeTravelHours(s.maxTimeTravel().toHours());
    }
    if (s.defaultKmsKeyName() != null) {
      b.setDefaultEncryptionConfiguration(
          EncryptionConfiguration.newBuilder().setKmsKeyName(s.defaultKmsKeyName()).build());
    }
    return b;
  }

  private void createTable(CreateTable s) throws InterruptedException {
    TableDef t = s.table();
    TableId id = calls.tableId(s.dataset(), t.name());
    StandardTableDefinition.Builder def =
        StandardTableDefinition.newBuilder()
            .setSchema(Schema.of(BigQuerySchemas.fields(t.columns())));
    if (t.partitioning() != null) {
      def.setTimePartitioning(timePartitioning(t.partitioning()));
    }
    if (!t.clustering().isEmpty()) {
      t.clustering().forEach(Identifiers::name);
      def.setClustering(Clustering.newBuilder().setFields(t.clustering()).build());
    }
    TableInfo.Builder info =
        TableInfo.newBuilder(id, def.build()).setDescription(t.description()).setLabels(s.labels());
    if (t.partitioning() != null) {
      info.setRequirePartitionFilter(t.partitioning().requirePartitionFilter());
    }
    try {
      created(s.dataset() + "." + t.name(), () -> bigquery.create(info.build()));
    } catch (BigQueryException e) {
      requireOursIfDuplicate(
          e,
          () -> bigquery.getTable(id),
          Table::getLabels,
          "table " + id.getTable(),
          "table " + s.dataset() + "." + t.name());
    }
  }

  private static TimePartitioning timePartitioning(Partitioning p) {
    TimePartitioning.Builder b =
        TimePartitioning.newBuilder(TimePartitioning.Type.valueOf(p.type().name()))
            .setField(Identifiers.name(p.field()));
    if (p.expirationDays() != null) {
      b.setExpirationMs(p.expirationDays() * MILLIS_PER_DAY);
    }
    return b.build();
  }

  /** Reads the table's schema, edits it, and sends one patch with the whole new schema. */
  private void patchSchema(
      String dataset, String table, Function<List<Field>, BigQuerySchemas.Edit> edit)
      throws InterruptedException {
    Table current = requireTable(dataset, table);
    BigQuerySchemas.Edit e = edit.apply(currentFields(current));
    if (!e.changed()) {
      return;
    }
    TableInfo patched =
        TableInfo.newBuilder(
                current.getTableId(), StandardTableDefinition.of(Schema.of(e.fields())))
            .build();
    gated(Quota.TABLE_METADATA, dataset + "." + table, () -> bigquery.update(patched));
  }

  private void updateTableOptions(UpdateTableOptions s) throws InterruptedException {
    TableDef t = s.table();
    Table current = requireTable(s.dataset(), t.name());
    StandardTableDefinition.Builder def = StandardTableDefinition.newBuilder();
    TableInfo.Builder patch = TableInfo.newBuilder(current.getTableId(), def.build());
    StandardTableDefinition existing = current.getDefinition();
    for (TableOption option : s.changes()) {
      switch (option) {
        case DESCRIPTION -> patch.setDescription(t.description() == null ? "" : t.description());
        case LABELS -> patch.setLabels(s.labels());
        case CLUSTERING -> {
          t.clustering().forEach(Identifiers::name);
          def.setClustering(Clustering.newBuilder().setFields(t.clustering()).build());
        }
        case COLUMN_DESCRIPTIONS ->
            def.setSchema(
                Schema.of(BigQuerySchemas.describe(currentFields(current), t.columns()).fields()));
        case PARTITION_EXPIRATION -> {
          if (t.partitioning() != null && existing.getTimePartitioning() != null) {
            Long days = t.partitioning().expirationDays();
            def.setTimePartitioning(
                existing.getTimePartitioning().toBuilder()
                    .setExpirationMs(days == null ? null : days * MILLIS_PER_DAY)
                    .build());
          }
        }
        case REQUIRE_PARTITION_FILTER -> {
          if (t.partitioning() != null) {
            patch.setRequirePartitionFilter(t.partitioning().requirePartitionFilter());
          }
        }
      }
    }
    patch.setDefinition(def.build());
    TableInfo update = patch.build();
    gated(Quota.TABLE_METADATA, s.dataset() + "." + t.name(), () -> bigquery.update(update));
  }

  /** The view's template rendered with fully qualified {@code `project.dataset.table`} names. */
  String viewSql(CreateOrReplaceView s) {
    String ds = Identifiers.dataset(s.dataset());
    String central = s.centralDataset() == null ? null : Identifiers.dataset(s.centralDataset());
    return ViewTemplate.render(
        s.view().templateFor(Dialect.BIGQUERY),
        ref ->
            BigQueryRows.table(
                calls.project(), ref.scope() == Scope.CENTRAL ? central : ds, ref.table()),
        s.orgSlug());
  }

  private void createOrReplaceView(CreateOrReplaceView s) throws InterruptedException {
    String ds = Identifiers.dataset(s.dataset());
    TableInfo info =
        TableInfo.newBuilder(
                calls.tableId(ds, s.view().name()),
                ViewDefinition.newBuilder(viewSql(s)).setUseLegacySql(false).build())
            .setDescription(s.view().description())
            .setLabels(s.labels())
            .build();
    String key = ds + "." + s.view().name();
    try {
      created(key, () -> bigquery.create(info));
    } catch (BigQueryException e) {
      if (!BigQueryErrors.isDuplicate(e)) {
        throw e;
      }
      gated(Quota.TABLE_METADATA, key, () -> bigquery.update(info));
    }
  }

  private Table requireTable(String dataset, String table) {
    Table current = bigquery.getTable(calls.tableId(dataset, table));
    if (current == null) {
      throw new WarehouseException(
          Kind.NOT_FOUND, "table " + dataset + "." + table + " does not exist");
    }
    return current;
  }

  private static List<Field> currentFields(Table table) {
    Schema schema = table.getDefinition().getSchema();
    return schema == null ? List.of() : List.copyOf(schema.getFields());
  }

  /**
   * A create answered "already exists": fine if we made it (a retry, a concurrent worker), never
   * adopt another's. {@code gone} names it if it vanished since; {@code what} if it is not ours.
   */
  private static <T> void requireOursIfDuplicate(
      BigQueryException e,
      Supplier<T> existing,
      Function<T, Map<String, String>> labels,
      String gone,
      String what) {
    if (!BigQueryErrors.isDuplicate(e)) {
      throw e;
    }
    T found = existing.get();
    if (found == null) {
      throw new WarehouseException(Kind.TRANSIENT, gone + " was reported existing but is gone", e);
    }
    requireOurs(what, labels.apply(found));
  }

  private static void requireOurs(String what, Map<String, String> labels) {
    String owner = labels == null ? null : labels.get(DesiredDataset.MANAGED_BY);
    if (!DesiredDataset.MANAGED_BY_VALUE.equals(owner)) {
      throw new WarehouseException(
          Kind.CONFLICT,
          what
              + " already exists and is not managed by "
              + DesiredDataset.MANAGED_BY_VALUE
              + " (label "
              + DesiredDataset.MANAGED_BY
              + "="
              + owner
              + "); refusing to adopt it");
    }
  }
}
