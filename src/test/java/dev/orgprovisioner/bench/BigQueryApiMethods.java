package dev.orgprovisioner.bench;

import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names a BigQuery REST request by its API method (datasets.get, jobs.insert, …) and counts them.
 */
final class BigQueryApiMethods {

  private BigQueryApiMethods() {}

  static String name(BigQueryStub.Request r) {
    List<String> parts =
        List.of(r.path().replaceFirst("^/bigquery/v2/", "").replaceAll("/+$", "").split("/"));
    int n = parts.size();
    // The path alternates collection / id: an even count ends with an id.
    boolean withId = n % 2 == 0;
    String collection = parts.get(withId ? n - 2 : n - 1);
    if (collection.equals("data")) {
      return "tabledata." + (r.method().equals("GET") ? "list" : "insertAll");
    }
    if (collection.equals("queries")) {
      return withId ? "jobs.getQueryResults" : "jobs.query";
    }
    String verb =
        switch (r.method()) {
          case "POST" -> "insert";
          case "GET" -> withId ? "get" : "list";
          case "PATCH" -> "patch";
          case "PUT" -> "update";
          case "DELETE" -> "delete";
          default -> r.method().toLowerCase(java.util.Locale.ROOT);
        };
    return collection + "." + verb;
  }

  /** How many requests of each API method, by name. */
  static Map<String, Long> count(List<BigQueryStub.Request> requests) {
    Map<String, Long> counts = new TreeMap<>();
    for (BigQueryStub.Request r : requests) {
      counts.merge(name(r), 1L, Long::sum);
    }
    return counts;
  }
}
