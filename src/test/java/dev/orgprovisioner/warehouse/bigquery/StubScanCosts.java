package dev.orgprovisioner.warehouse.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub.ApiError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the stub's statements would cost on BigQuery (on-demand): the size of each table (declared
 * by a test, or measured from the rows it holds), the bytes a statement reads with and without
 * partition pruning, the 10 MiB minimum billed per query that reads a table, and the refusal of a
 * query billed above its {@code maximumBytesBilled} ({@code bytesBilledLimitExceeded}, HTTP 400).
 */
final class StubScanCosts {

  /** BigQuery bills at least 10 MiB per table a query reads (INFORMATION_SCHEMA included). */
  static final long MIN_BILLED = 10L << 20;

  /** Assumed mean length of STRING, BYTES and JSON values when sizing a table from its schema. */
  static final int MEAN_STRING_BYTES = 24;

  /** A table's size as tables.get reports it; rows spread evenly over its partitions. */
  record Size(long numRows, long numBytes, long partitions) {}

  /**
   * One statement's estimate: bytes it reads, what it would read without pruning, partitions read
   * (of how many), and bytes billed.
   */
  record Scan(
      String kind,
      String table,
      long bytesRead,
      long bytesUnpruned,
      long partitionsRead,
      long partitions,
      long bytesBilled) {}

  private record Declared(long rows, long partitions) {}

  private final Map<String, Declared> declared = new ConcurrentHashMap<>();
  private final List<Scan> scans = Collections.synchronizedList(new ArrayList<>());

  /** Makes {@code tableId} (project:dataset.table) report this many rows over these partitions. */
  void declare(String tableId, long rows, long partitions) {
    declared.put(tableId, new Declared(rows, Math.max(1, partitions)));
  }

  Size size(ObjectNode table, int storedRows) {
    Declared d = declared.get(table.path("id").asText());
    long rows = d == null ? storedRows : d.rows();
    long partitions = d == null ? 1 : d.partitions();
    return new Size(rows, rows * rowBytes(table.path("schema").path("fields")), partitions);
  }

  /** tables.get's view of a table: its stored resource plus numRows, numBytes, numPartitions. */
  ObjectNode withSize(ObjectNode table, int storedRows) {
    ObjectNode out = table.deepCopy();
    Size s = size(table, storedRows);
    out.put("numRows", String.valueOf(s.numRows()));
    out.put("numBytes", String.valueOf(s.numBytes()));
    if (table.has("timePartitioning")) {
      out.put("numPartitions", String.valueOf(s.partitions()));
    }
    return out;
  }

  /** A statement reading the whole table, or only the partitions {@code filter} keeps. */
  Scan read(String kind, ObjectNode table, int storedRows, StubPartitionFilter filter) {
    Size s = size(table, storedRows);
    long kept = s.partitions();
    if (filter != null && table.has("timePartitioning")) {
      String granularity = table.path("timePartitioning").path("type").asText("DAY");
      kept = Math.min(s.partitions(), filter.partitions(granularity));
    }
    long bytes = s.numBytes() * kept / s.partitions();
    return new Scan(
        kind,
        table.path("id").asText(),
        bytes,
        s.numBytes(),
        kept,
        s.partitions(),
        Math.max(MIN_BILLED, bytes));
  }

  /** A statement reading no table (INSERT … VALUES). */
  static Scan none(String kind, ObjectNode table) {
    return new Scan(kind, table.path("id").asText(), 0, 0, 0, 0, 0);
  }

  /** An INFORMATION_SCHEMA read: billed the minimum. */
  static Scan metadata(String view) {
    return new Scan("INFORMATION_SCHEMA." + view, view, 0, 0, 0, 0, MIN_BILLED);
  }

  /** Refuses a statement billed above the query's limit, as BigQuery does; records it otherwise. */
  void admit(Scan scan, JsonNode queryConfig) {
    JsonNode limit = queryConfig.path("maximumBytesBilled");
    if (!limit.isMissingNode() && !limit.isNull() && scan.bytesBilled() > limit.asLong()) {
      throw new ApiError(
          400,
          "bytesBilledLimitExceeded",
          "Query exceeded limit for bytes billed: "
              + limit.asLong()
              + ". "
              + scan.bytesBilled()
              + " or higher required.");
    }
    scans.add(scan);
  }

  List<Scan> scans() {
    synchronized (scans) {
      return List.copyOf(scans);
    }
  }

  void clear() {
    scans.clear();
  }

  /** Logical bytes of one row, by BigQuery's data type sizes; repeated fields hold one value. */
  static long rowBytes(JsonNode fields) {
    long n = 0;
    for (JsonNode f : fields) {
      n +=
          switch (f.path("type").asText()) {
            case "RECORD", "STRUCT" -> rowBytes(f.path("fields"));
            case "BOOLEAN", "BOOL" -> 1;
            case "NUMERIC" -> 16;
            case "BIGNUMERIC" -> 32;
            case "STRING", "BYTES", "JSON" -> 2 + MEAN_STRING_BYTES;
            case "GEOGRAPHY" -> 16 + 24;
            case "INTERVAL" -> 16;
            default -> 8; // INTEGER, FLOAT, TIMESTAMP, DATE, TIME, DATETIME
          };
    }
    return n;
  }
}
