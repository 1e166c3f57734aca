package dev.orgprovisioner.warehouse.bigquery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.paging.Page;
import com.google.cloud.bigquery.BigQuery.DatasetListOption;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.TableResult;
import dev.orgprovisioner.plan.DesiredDataset;
import dev.orgprovisioner.plan.ObservedDataset;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.WarehouseException;
import dev.orgprovisioner.warehouse.WarehouseException.Kind;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.ColumnRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.FieldPathRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.OptionRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.Rows;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.SchemaRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.TableRow;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.View;
import dev.orgprovisioner.warehouse.bigquery.InformationSchema.ViewRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Reads datasets' metadata in bulk, region by region, from INFORMATION_SCHEMA. */
final class BigQuerySnapshot implements AutoCloseable {

  /** Datasets per INFORMATION_SCHEMA query: keeps the array parameter far below the 1 MB limit. */
  static final int DATASETS_PER_QUERY = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BigQueryCalls calls;
  private final ExecutorService pool;

  BigQuerySnapshot(BigQueryCalls calls, AtomicInteger threads) {
    this.calls = calls;
    this.pool =
        BigQueryCalls.forCallers(
            calls.settings().parallelism(), BigQueryCalls.daemons("bigquery-metadata-", threads));
  }

  Map<String, ObservedDataset> snapshot(Collection<String> datasets) {
    List<String> names = datasets.stream().map(Identifiers::dataset).distinct().toList();
    if (names.isEmpty()) {
      return Map.of();
    }
    String home = calls.settings().location();
    Rows rows = readRegion(home, names);
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
            if (!location.equalsIgnoreCase(home)) {
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

  List<String> managedDatasets() {
    String filter = "labels." + DesiredDataset.MANAGED_BY + ":" + DesiredDataset.MANAGED_BY_VALUE;
    return BigQueryCalls.call(
        "list managed datasets",
        () -> {
          Page<Dataset> page =
              calls
                  .client()
                  .listDatasets(
                      calls.project(),
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

  /** The location of each dataset that exists, by datasets.get (parallel); absent ones omitted. */
  private Map<String, String> locate(List<String> names) {
    List<CompletableFuture<Map.Entry<String, String>>> futures =
        names.stream()
            .map(
                name ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          Dataset d =
                              BigQueryCalls.call(
                                  "get dataset " + name,
                                  () ->
                                      calls
                                          .client()
                                          .getDataset(DatasetId.of(calls.project(), name)));
                          return d == null ? null : Map.entry(name, d.getLocation());
                        },
                        pool))
            .toList();
    Map<String, String> out = new LinkedHashMap<>();
    for (var f : futures) {
      Map.Entry<String, String> e = BigQueryCalls.join(f);
      if (e != null && e.getValue() != null) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** The seven INFORMATION_SCHEMA reads of one region, run in parallel. */
  private Rows readRegion(String location, List<String> names) {
    Rows rows = Rows.empty();
    for (int i = 0; i < names.size(); i += DATASETS_PER_QUERY) {
      List<String> chunk = names.subList(i, Math.min(names.size(), i + DATASETS_PER_QUERY));
      Map<String, QueryParameterValue> params =
          Map.of("datasets", QueryParameterValue.array(chunk.toArray(new String[0]), String.class));
      // Rows are mapped page by page: a fleet's COLUMN_FIELD_PATHS runs to hundreds of thousands.
      var schemata = read(View.SCHEMATA, location, params, BigQuerySnapshot::schemaRow);
      var schemaOptions =
          read(View.SCHEMATA_OPTIONS, location, params, BigQuerySnapshot::schemaOptionRow);
      var tables = read(View.TABLES, location, params, BigQuerySnapshot::tableRow);
      var tableOptions =
          read(View.TABLE_OPTIONS, location, params, BigQuerySnapshot::tableOptionRow);
      var columns = read(View.COLUMNS, location, params, BigQuerySnapshot::columnRows);
      var fieldPaths =
          read(View.COLUMN_FIELD_PATHS, location, params, BigQuerySnapshot::fieldPathRows);
      var views = read(View.VIEWS, location, params, BigQuerySnapshot::viewRow);
      rows.schemata().addAll(BigQueryCalls.join(schemata));
      rows.schemaOptions().addAll(BigQueryCalls.join(schemaOptions));
      rows.tables().addAll(BigQueryCalls.join(tables));
      rows.tableOptions().addAll(BigQueryCalls.join(tableOptions));
      BigQueryCalls.join(columns).forEach(rows.columns()::addAll);
      BigQueryCalls.join(fieldPaths).forEach(rows.fieldPaths()::addAll);
      rows.views().addAll(BigQueryCalls.join(views));
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
      TableResult result = calls.query(what, view.sql(calls.project(), location), location, params);
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
    return perTable(r, "columns", BigQuerySnapshot::columnRow);
  }

  /** One table's field paths, aggregated as a JSON array by the COLUMN_FIELD_PATHS query. */
  private static List<FieldPathRow> fieldPathRows(FieldValueList r) {
    return perTable(r, "fields", BigQuerySnapshot::fieldPathRow);
  }

  /** Maps the elements of one table's aggregated JSON array, named {@code array}. */
  private static <T> List<T> perTable(FieldValueList r, String array, ElementMapper<T> mapper) {
    String ds = str(r, "table_schema");
    String table = str(r, "table_name");
    List<T> out = new ArrayList<>();
    for (JsonNode element : json(str(r, array))) {
      out.add(mapper.map(ds, table, element));
    }
    return out;
  }

  /** Maps one element of a table's aggregated JSON array. */
  private interface ElementMapper<T> {
    T map(String dataset, String table, JsonNode element);
  }

  private static ColumnRow columnRow(String ds, String table, JsonNode c) {
    JsonNode clustering = c.path("clustering_ordinal_position");
    return new ColumnRow(
        ds,
        table,
        c.path("column_name").asText(),
        c.path("ordinal_position").asLong(),
        !"NO".equalsIgnoreCase(c.path("is_nullable").asText()),
        "YES".equalsIgnoreCase(c.path("is_system_defined").asText()),
        "YES".equalsIgnoreCase(c.path("is_partitioning_column").asText()),
        clustering.isNumber() || clustering.isTextual() ? clustering.asLong() : null);
  }

  private static FieldPathRow fieldPathRow(String ds, String table, JsonNode f) {
    return new FieldPathRow(
        ds,
        table,
        f.path("field_path").asText(),
        f.path("data_type").asText(null),
        f.path("description").isNull() ? null : f.path("description").asText(null));
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

  private static OptionRow schemaOptionRow(FieldValueList r) {
    return new OptionRow(
        str(r, "schema_name"), null, str(r, "option_name"), str(r, "option_value"));
  }

  private static TableRow tableRow(FieldValueList r) {
    return new TableRow(
        str(r, "table_schema"), str(r, "table_name"), str(r, "table_type"), str(r, "partition_by"));
  }

  private static OptionRow tableOptionRow(FieldValueList r) {
    return new OptionRow(
        str(r, "table_schema"),
        str(r, "table_name"),
        str(r, "option_name"),
        str(r, "option_value"));
  }

  private static ViewRow viewRow(FieldValueList r) {
    return new ViewRow(str(r, "table_schema"), str(r, "table_name"), str(r, "view_definition"));
  }

  private static String str(FieldValueList row, String name) {
    FieldValue v = row.get(name);
    return v == null || v.isNull() ? null : v.getStringValue();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
