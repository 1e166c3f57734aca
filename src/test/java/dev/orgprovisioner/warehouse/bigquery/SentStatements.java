package dev.orgprovisioner.warehouse.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SQL texts the adapter sent to the stub, each with its kind and its parameters' types. */
final class SentStatements {

  /** The kinds of SQL text the adapter sends; one per INFORMATION_SCHEMA view read. */
  enum Kind {
    VIEW_BODY,
    INSERT,
    MERGE,
    SELECT_ROWS,
    INFORMATION_SCHEMA_SCHEMATA,
    INFORMATION_SCHEMA_SCHEMATA_OPTIONS,
    INFORMATION_SCHEMA_TABLES,
    INFORMATION_SCHEMA_TABLE_OPTIONS,
    INFORMATION_SCHEMA_COLUMNS,
    INFORMATION_SCHEMA_COLUMN_FIELD_PATHS,
    INFORMATION_SCHEMA_VIEWS,
    /** Anything the classification does not know: the analysis check does not cover it. */
    UNKNOWN;

    static Kind of(InformationSchema.View view) {
      return valueOf("INFORMATION_SCHEMA_" + view.name());
    }
  }

  /**
   * One SQL text: a query's text with its named parameters' types as the REST request carried them
   * (the {@code parameterType} JSON), or a view's body (no parameters).
   */
  record Sent(Kind kind, String sql, Map<String, JsonNode> parameterTypes, String where) {
    @Override
    public String toString() {
      return kind + " (" + where + "): " + sql;
    }
  }

  private static final Pattern INFORMATION_SCHEMA =
      Pattern.compile("INFORMATION_SCHEMA\\.([A-Z_]+)\\b");

  private SentStatements() {}

  /** Every query and view body in the stub's recorded requests, in the order sent. */
  static List<Sent> from(List<Request> requests) {
    List<Sent> out = new ArrayList<>();
    for (Request r : requests) {
      String where = r.method() + " " + r.path();
      JsonNode body = r.body();
      if (body == null) {
        continue;
      }
      if (r.method().equals("POST") && r.path().endsWith("/queries")) {
        out.add(query(body.path("query").asText(), body.path("queryParameters"), where));
      } else if (r.method().equals("POST") && r.path().endsWith("/jobs")) {
        JsonNode q = body.path("configuration").path("query");
        if (q.has("query")) {
          out.add(query(q.path("query").asText(), q.path("queryParameters"), where));
        }
      } else if (body.path("view").has("query")) {
        out.add(
            new Sent(Kind.VIEW_BODY, body.path("view").path("query").asText(), Map.of(), where));
      }
    }
    return out;
  }

  private static Sent query(String sql, JsonNode parameters, String where) {
    Map<String, JsonNode> types = new LinkedHashMap<>();
    for (JsonNode p : parameters) {
      types.put(p.path("name").asText(), p.path("parameterType"));
    }
    return new Sent(kindOf(sql), sql, types, where);
  }

  static Kind kindOf(String sql) {
    if (sql.startsWith("INSERT INTO ")) {
      return Kind.INSERT;
    }
    if (sql.startsWith("MERGE ")) {
      return Kind.MERGE;
    }
    if (sql.startsWith("SELECT * FROM ") && !sql.contains("INFORMATION_SCHEMA")) {
      return Kind.SELECT_ROWS;
    }
    Matcher m = INFORMATION_SCHEMA.matcher(sql);
    if (m.find()) {
      for (InformationSchema.View v : InformationSchema.View.values()) {
        if (v.name().equals(m.group(1))) {
          return Kind.of(v);
        }
      }
    }
    return Kind.UNKNOWN;
  }
}
