package dev.orgprovisioner.warehouse.bigquery;

import java.util.Locale;

/** Names the BigQuery REST method of an HTTP request (e.g. {@code tables.get}): a quota's key. */
final class RestMethods {

  private static final String PREFIX = "^(?:/upload)?/bigquery/v2/projects/[^/]+";

  private RestMethods() {}

  /** The REST method of {@code httpMethod} on {@code path} (the URL's path, not decoded). */
  static String of(String httpMethod, String path) {
    String p = path.replaceFirst(PREFIX, "");
    String m = httpMethod.toUpperCase(Locale.ROOT);
    if (p.equals("/datasets")) {
      return m.equals("POST") ? "datasets.insert" : "datasets.list";
    }
    if (p.matches("/datasets/[^/]+:undelete")) {
      return "datasets.undelete";
    }
    if (p.matches("/datasets/[^/]+")) {
      return "datasets." + verb(m);
    }
    if (p.matches("/datasets/[^/]+/tables")) {
      return m.equals("POST") ? "tables.insert" : "tables.list";
    }
    if (p.matches("/datasets/[^/]+/tables/[^/]+/insertAll")) {
      return "tabledata.insertAll";
    }
    if (p.matches("/datasets/[^/]+/tables/[^/]+/data")) {
      return "tabledata.list";
    }
    if (p.matches("/datasets/[^/]+/tables/[^/]+")) {
      return "tables." + verb(m);
    }
    if (p.equals("/queries")) {
      return "jobs.query";
    }
    if (p.matches("/queries/[^/]+")) {
      return "jobs.getQueryResults";
    }
    if (p.equals("/jobs")) {
      return m.equals("POST") ? "jobs.insert" : "jobs.list";
    }
    if (p.matches("/jobs/[^/]+/cancel")) {
      return "jobs.cancel";
    }
    if (p.matches("/jobs/[^/]+")) {
      return "jobs.get";
    }
    return "other";
  }

  private static String verb(String method) {
    return switch (method) {
      case "GET" -> "get";
      case "PATCH" -> "patch";
      case "PUT" -> "update";
      case "DELETE" -> "delete";
      case "POST" -> "insert";
      default -> method.toLowerCase(Locale.ROOT);
    };
  }
}
