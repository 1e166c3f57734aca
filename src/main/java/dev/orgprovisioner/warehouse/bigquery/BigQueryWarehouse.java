package dev.orgprovisioner.warehouse.bigquery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.paging.Page;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.DatasetListOption;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.DatasetInfo;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.JobException;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableInfo;
import com.google.cloud.bigquery.TableResult;
import com.google.cloud.bigquery.TimePartitioning;
import com.google.cloud.bigquery.ViewDefinition;
import com.google.cloud.http.HttpTransportOptions;
import dev.orgprovisioner.catalog.Dialect;
import dev.orgprovisioner.catalog.Partitioning;
import dev.orgprovisioner.catalog.Scope;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewTemplate;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ObservedDataset;
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
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import dev.orgprovisioner.warehouse.bigquery.BigQueryRows.Statement;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.ColumnRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.FieldPathRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.OptionRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.Rows;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.SchemaRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.TableRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/** The production warehouse: BigQuery through google-cloud-bigquery, metadata read in bulk. */
public final class BigQueryWarehouse implements Warehouse, AutoCloseable {

  /** Datasets per INFORMATION_SCHEMA query: keeps the array parameter far below the 1 MB limit. */
  static final int DATASETS_PER_QUERY = 10_000;

  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BigQuery bigquery;
  private final BigQuerySettings settings;
  private final TableUpdatePacer pacer;
  private final ExecutorService pool;
  // Query calls run here so the caller's wait is bounded even if the client hangs.
  private final ExecutorService waits;

  BigQueryWarehouse(BigQuery bigquery, BigQuerySettings settings, TableUpdatePacer pacer) {
    this.bigquery = bigquery;
    this.settings = settings;
    this.pacer = pacer;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            settings.parallelism(),
            r -> {
              Thread t = new Thread(r, "bigquery-metadata-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.waits =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "bigquery-query-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Builds the client: Application Default Credentials, or none when a host override (a local stub)
   * is set.
   */
  public static BigQueryWarehouse create(BigQuerySettings settings) {
    BigQueryOptions.Builder options =
        BigQueryOptions.newBuilder()
            .setProjectId(settings.projectId())
            // One retry policy (RetryingWarehouse); client retries underneath would multiply it.
            .setRetrySettings(ServiceOptions.getNoRetrySettings())
            // Every HTTP call is bounded: a hung connection fails (transient) instead of holding
            // the job's org lock indefinitely.
            .setTransportOptions(
                HttpTransportOptions.newBuilder()
                    .setConnectTimeout((int) settings.callTimeout().toMillis())
                    .setReadTimeout((int) settings.callTimeout().toMillis())
                    .build());
    settings
        .hostOverride()
        .ifPresent(host -> options.setHost(host).setCredentials(NoCredentials.getInstance()));
    return new BigQueryWarehouse(
        options.build().getService(), settings, TableUpdatePacer.standard());
  }

  @Override
  public Dialect dialect() {
    return Dialect.BIGQUERY;
  }

  // ---------------------------------------------------------------- snapshot

  @Override
  public Map<String, ObservedDataset> snapshot(Collection<String> datasets) {
    List<String> names = datasets.stream().map(Identifiers::dataset).distinct().toList();
    if (names.isEmpty()) {
      return Map.of();
    }
    Rows rows = readRegion(settings.location(), names);
    Set<String> found = new HashSet<>();
    rows.schemata().forEach(s -> found.add(s.dataset()));
    List<String> elsewhere = names.stream().filter(n -> !found.contains(n)).toList();
    if (!elsewhere.isEmpty()) {
      // Not in the default region: absent, or created in another location (dataset_location).
      Map<String, List<String>> byLocation = new TreeMap<>();
      locate(elsewhere)
          .forEach(
              (name, location) ->
                  byLocation.computeIfAbsent(location, k -> new ArrayList<>()).add(name));
      byLocation.forEach(
          (location, group) -> {
            if (!location.equalsIgnoreCase(settings.location())) {
              rows.addAll(readRegion(location, group));
            }
          });
    }
    Map<String, ObservedDataset> assembled = InformationSchema.assemble(rows);
    Map<String, ObservedDataset> out = new LinkedHashMap<>();
    for (String name : names) {
      ObservedDataset d = assembled.get(name);
      if (d != null) {
        out.put(name, d);
      }
    }
    return out;
  }

  /** The location of each dataset that exists, by datasets.get (parallel); absent ones omitted. */
  private Map<String, String> locate(List<String> names) {
    List<CompletableFuture<Map.Entry<String, String>>> futures =
        names.stream()
            .map(
                name ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          Dataset d =
                              call(
                                  "get dataset " + name,
                                  () -> bigquery.getDataset(DatasetId.of(project(), name)));
                          return d == null ? null : Map.entry(name, d.getLocation());
                        },
                        pool))
            .toList();
    Map<String, String> out = new LinkedHashMap<>();
    for (var f : futures) {
      Map.Entry<String, String> e = join(f);
      if (e != null && e.getValue() != null) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** The six INFORMATION_SCHEMA reads of one region, run in parallel. */
  private Rows readRegion(String location, List<String> names) {
    Rows rows = Rows.empty();
    for (int i = 0; i < names.size(); i += DATASETS_PER_QUERY) {
      List<String> chunk = names.subList(i, Math.min(names.size(), i + DATASETS_PER_QUERY));
      Map<String, QueryParameterValue> params =
          Map.of("datasets", QueryParameterValue.array(chunk.toArray(new String[0]), String.class));
      // Rows are mapped page by page: a fleet's COLUMN_FIELD_PATHS runs to hundreds of thousands.
      var schemata = read(View.SCHEMATA, location, params, BigQueryWarehouse::schemaRow);
      var schemaOptions =
          read(
              View.SCHEMATA_OPTIONS,
              location,
              params,
              r ->
                  new OptionRow(
                      str(r, "schema_name"), null, str(r, "option_name"), str(r, "option_value")));
      var tables =
          read(
              View.TABLES,
              location,
              params,
              r ->
                  new TableRow(
                      str(r, "table_schema"),
                      str(r, "table_name"),
                      str(r, "table_type"),
                      str(r, "partition_by")));
      var tableOptions =
          read(
              View.TABLE_OPTIONS,
              location,
              params,
              r ->
                  new OptionRow(
                      str(r, "table_schema"),
                      str(r, "table_name"),
                      str(r, "option_name"),
                      str(r, "option_value")));
      var columns = read(View.COLUMNS, location, params, BigQueryWarehouse::columnRows);
      var fieldPaths =
          read(View.COLUMN_FIELD_PATHS, location, params, BigQueryWarehouse::fieldPathRows);
      rows.schemata().addAll(join(schemata));
      rows.schemaOptions().addAll(join(schemaOptions));
      rows.tables().addAll(join(tables));
      rows.tableOptions().addAll(join(tableOptions));
      join(columns).forEach(rows.columns()::addAll);
      join(fieldPaths).forEach(rows.fieldPaths()::addAll);
    }
    return rows;
  }

  private <T> CompletableFuture<List<T>> read(
      View view,
      String location,
      Map<String, QueryParameterValue> params,
      Function<FieldValueList, T> mapper) {
    return CompletableFuture.supplyAsync(() -> metadataQuery(view, location, params, mapper), pool);
  }

  private <T> List<T> metadataQuery(
      View view,
      String location,
      Map<String, QueryParameterValue> params,
      Function<FieldValueList, T> mapper) {
    String what = "read " + InformationSchema.region(location) + " INFORMATION_SCHEMA." + view;
    try {
      List<T> out = new ArrayList<>();
      TableResult result = query(what, view.sql(project(), location), location, params);
      try {
        result.iterateAll().forEach(r -> out.add(mapper.apply(r)));
      } catch (BigQueryException e) {
        throw BigQueryErrors.map(what, e); // a later result page failed
      }
      return out;
    } catch (WarehouseException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return List.of(); // no dataset of this project in that region
      }
      throw e;
    }
  }

  /** One table's columns, aggregated as a JSON array by the COLUMNS query. */
  private static List<ColumnRow> columnRows(FieldValueList r) {
    String ds = str(r, "table_schema");
    String table = str(r, "table_name");
    List<ColumnRow> out = new ArrayList<>();
    for (JsonNode c : json(str(r, "columns"))) {
      JsonNode clustering = c.path("clustering_ordinal_position");
      out.add(
          new ColumnRow(
              ds,
              table,
              c.path("column_name").asText(),
              c.path("ordinal_position").asLong(),
              !"NO".equalsIgnoreCase(c.path("is_nullable").asText()),
              "YES".equalsIgnoreCase(c.path("is_system_defined").asText()),
              "YES".equalsIgnoreCase(c.path("is_partitioning_column").asText()),
              clustering.isNumber() || clustering.isTextual() ? clustering.asLong() : null));
    }
    return out;
  }

  /** One table's field paths, aggregated as a JSON array by the COLUMN_FIELD_PATHS query. */
  private static List<FieldPathRow> fieldPathRows(FieldValueList r) {
    String ds = str(r, "table_schema");
    String table = str(r, "table_name");
    List<FieldPathRow> out = new ArrayList<>();
    for (JsonNode f : json(str(r, "fields"))) {
      out.add(
          new FieldPathRow(
              ds,
              table,
              f.path("field_path").asText(),
              f.path("data_type").asText(null),
              f.path("description").isNull() ? null : f.path("description").asText(null)));
    }
    return out;
  }

  private static JsonNode json(String text) {
    try {
      return text == null ? JSON.createArrayNode() : JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new WarehouseException(
          Kind.PERMANENT, "unreadable INFORMATION_SCHEMA aggregate: " + e.getOriginalMessage(), e);
    }
  }

  private static SchemaRow schemaRow(FieldValueList r) {
    return new SchemaRow(str(r, "schema_name"), str(r, "location"));
  }

  private static String str(FieldValueList row, String name) {
    FieldValue v = row.get(name);
    return v == null || v.isNull() ? null : v.getStringValue();
  }

  @Override
  public List<String> managedDatasets() {
    String filter = "labels." + DesiredDataset.MANAGED_BY + ":" + DesiredDataset.MANAGED_BY_VALUE;
    return call(
        "list managed datasets",
        () -> {
          Page<Dataset> page =
              bigquery.listDatasets(
                  project(),
                  DatasetListOption.labelFilter(filter),
                  DatasetListOption.pageSize(1000));
          List<String> out = new ArrayList<>();
          for (Dataset d : page.iterateAll()) {
            out.add(d.getDatasetId().getDataset());
          }
          out.sort(String::compareTo);
          return out;
        });
  }

  // ---------------------------------------------------------------- plan steps

  @Override
  public void apply(PlanStep step) {
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

  private void createDataset(CreateDataset s) {
    DatasetId id = DatasetId.of(project(), Identifiers.dataset(s.dataset()));
    DatasetInfo info =
        DatasetInfo.newBuilder(id)
            .setLocation(s.location())
            .setDescription(s.description())
            .setLabels(s.labels())
            .build();
    try {
      bigquery.create(info);
    } catch (BigQueryException e) {
      if (!BigQueryErrors.isDuplicate(e)) {
        throw e;
      }
      // Already there: fine if we made it (a retry, a concurrent worker), never adopt another's.
      Dataset existing = bigquery.getDataset(id);
      if (existing == null) {
        throw new WarehouseException(
            Kind.TRANSIENT, "dataset " + s.dataset() + " was reported existing but is gone", e);
      }
      requireOurs("dataset " + s.dataset(), existing.getLabels());
    }
  }

  private void updateDataset(UpdateDataset s) {
    DatasetId id = DatasetId.of(project(), Identifiers.dataset(s.dataset()));
    // datasets.patch merges labels key by key, so labels added by others survive.
    bigquery.update(
        DatasetInfo.newBuilder(id)
            .setDescription(s.description() == null ? "" : s.description())
            .setLabels(s.labels())
            .build());
  }

  private void createTable(CreateTable s) throws InterruptedException {
    TableDef t = s.table();
    TableId id = tableId(s.dataset(), t.name());
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
    pacer.acquire(s.dataset() + "." + t.name());
    try {
      bigquery.create(info.build());
    } catch (BigQueryException e) {
      if (!BigQueryErrors.isDuplicate(e)) {
        throw e;
      }
      Table existing = bigquery.getTable(id);
      if (existing == null) {
        throw new WarehouseException(
            Kind.TRANSIENT, "table " + id.getTable() + " was reported existing but is gone", e);
      }
      requireOurs("table " + s.dataset() + "." + t.name(), existing.getLabels());
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
    pacer.acquire(dataset + "." + table);
    bigquery.update(
        TableInfo.newBuilder(
                current.getTableId(), StandardTableDefinition.of(Schema.of(e.fields())))
            .build());
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
    pacer.acquire(s.dataset() + "." + t.name());
    bigquery.update(patch.build());
  }

  private void createOrReplaceView(CreateOrReplaceView s) throws InterruptedException {
    String ds = Identifiers.dataset(s.dataset());
    String central = s.centralDataset() == null ? null : Identifiers.dataset(s.centralDataset());
    String sql =
        ViewTemplate.render(
            s.view().templateFor(Dialect.BIGQUERY),
            ref ->
                BigQueryRows.table(
                    project(), ref.scope() == Scope.CENTRAL ? central : ds, ref.table()),
            s.orgSlug());
    TableInfo info =
        TableInfo.newBuilder(
                tableId(ds, s.view().name()),
                ViewDefinition.newBuilder(sql).setUseLegacySql(false).build())
            .setDescription(s.view().description())
            .setLabels(s.labels())
            .build();
    pacer.acquire(ds + "." + s.view().name());
    try {
      bigquery.create(info);
    } catch (BigQueryException e) {
      if (!BigQueryErrors.isDuplicate(e)) {
        throw e;
      }
      pacer.acquire(ds + "." + s.view().name());
      bigquery.update(info);
    }
  }

  private Table requireTable(String dataset, String table) {
    Table current = bigquery.getTable(tableId(dataset, table));
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

  // ---------------------------------------------------------------- rows

  @Override
  public void insertRows(String dataset, String table, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    String target = BigQueryRows.table(project(), dataset, table);
    for (List<Map<String, Object>> batch :
        BigQueryRows.batches(rows, BigQueryRows.columns(rows).size())) {
      Statement st = BigQueryRows.insert(target, batch);
      query("insert into " + dataset + "." + table, st.sql(), null, st.parameters());
    }
  }

  @Override
  public void upsertRows(
      String dataset, String table, List<String> keyColumns, List<Map<String, Object>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    String target = BigQueryRows.table(project(), dataset, table);
    for (List<Map<String, Object>> batch :
        BigQueryRows.batches(rows, BigQueryRows.columns(rows).size())) {
      Statement st = BigQueryRows.merge(target, keyColumns, batch);
      query("upsert into " + dataset + "." + table, st.sql(), null, st.parameters());
    }
  }

  @Override
  public List<Map<String, Object>> selectRows(
      String dataset, String table, Map<String, Object> equalTo, int limit) {
    Statement st =
        BigQueryRows.select(BigQueryRows.table(project(), dataset, table), equalTo, limit);
    TableResult result =
        query("select from " + dataset + "." + table, st.sql(), null, st.parameters());
    List<Map<String, Object>> out = new ArrayList<>();
    for (FieldValueList row : result.iterateAll()) {
      out.add(BigQueryRows.row(result.getSchema().getFields(), row));
    }
    return out;
  }

  // ---------------------------------------------------------------- plumbing

  /** Runs one GoogleSQL query; every query carries the maximum bytes billed. */
  private TableResult query(
      String what, String sql, String location, Map<String, QueryParameterValue> params) {
    QueryJobConfiguration config =
        QueryJobConfiguration.newBuilder(sql)
            .setUseLegacySql(false)
            .setMaximumBytesBilled(settings.maximumBytesBilled())
            .setNamedParameters(params)
            // No setJobTimeoutMs: the client then gives up the one-call jobs.query path for
            // jobs.insert plus polling. The wait below bounds the call instead.
            .build();
    JobId jobId = location == null ? null : JobId.newBuilder().setLocation(location).build();
    Duration wait = settings.queryTimeout();
    Future<TableResult> result =
        waits.submit(() -> jobId == null ? bigquery.query(config) : bigquery.query(config, jobId));
    try {
      return result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      throw BigQueryErrors.timedOut(what, wait, e);
    } catch (ExecutionException e) {
      throw queryFailure(what, e.getCause());
    } catch (InterruptedException e) {
      result.cancel(true);
      throw BigQueryErrors.interrupted(what, e);
    }
  }

  private static RuntimeException queryFailure(String what, Throwable cause) {
    if (cause instanceof BigQueryException e) {
      return BigQueryErrors.map(what, e);
    }
    if (cause instanceof JobException e) {
      return BigQueryErrors.map(what, e);
    }
    if (cause instanceof InterruptedException e) {
      return BigQueryErrors.interrupted(what, e);
    }
    if (cause instanceof RuntimeException e) {
      return e;
    }
    return new WarehouseException(Kind.TRANSIENT, what + " failed: " + cause, cause);
  }

  private <T> T call(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (BigQueryException e) {
      throw BigQueryErrors.map(what, e);
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private TableId tableId(String dataset, String table) {
    return TableId.of(project(), Identifiers.dataset(dataset), Identifiers.name(table));
  }

  private String project() {
    return settings.projectId();
  }

  @Override
  public void close() {
    pool.shutdownNow();
    waits.shutdownNow();
  }
}
