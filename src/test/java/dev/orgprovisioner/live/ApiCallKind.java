package dev.orgprovisioner.live;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Names a BigQuery REST request as the API reference does, e.g. {@code tables.insert}. */
final class ApiCallKind {

  /** Every BigQuery v2 resource path starts here (the stub serves the same paths). */
  static final String PREFIX = "/bigquery/v2/projects/";

  private record Rule(String method, Pattern path, String name) {}

  private static final String ID = "[^/]+";

  private static final List<Rule> RULES =
      List.of(
          rule("POST", "queries", "jobs.query"),
          rule("GET", "queries/" + ID, "jobs.getQueryResults"),
          rule("POST", "jobs", "jobs.insert"),
          rule("GET", "jobs", "jobs.list"),
          rule("GET", "jobs/" + ID, "jobs.get"),
          rule("POST", "jobs/" + ID + "/cancel", "jobs.cancel"),
          rule("GET", "datasets", "datasets.list"),
          rule("POST", "datasets", "datasets.insert"),
          rule("GET", "datasets/" + ID, "datasets.get"),
          rule("PATCH", "datasets/" + ID, "datasets.patch"),
          rule("PUT", "datasets/" + ID, "datasets.update"),
          rule("DELETE", "datasets/" + ID, "datasets.delete"),
          rule("GET", "datasets/" + ID + "/tables", "tables.list"),
          rule("POST", "datasets/" + ID + "/tables", "tables.insert"),
          rule("GET", "datasets/" + ID + "/tables/" + ID, "tables.get"),
          rule("PATCH", "datasets/" + ID + "/tables/" + ID, "tables.patch"),
          rule("PUT", "datasets/" + ID + "/tables/" + ID, "tables.update"),
          rule("DELETE", "datasets/" + ID + "/tables/" + ID, "tables.delete"),
          rule("POST", "datasets/" + ID + "/tables/" + ID + "/insertAll", "tabledata.insertAll"),
          rule("GET", "datasets/" + ID + "/tables/" + ID + "/data", "tabledata.list"));

  private ApiCallKind() {}

  private static Rule rule(String method, String path, String name) {
    return new Rule(method, Pattern.compile(path), name);
  }

  /** True for a request to the BigQuery API (not, say, an OAuth token refresh). */
  static boolean isBigQuery(String path) {
    return path != null && path.startsWith(PREFIX);
  }

  /**
   * The API method of a BigQuery request. {@code method} is the HTTP method after any {@code
   * X-HTTP-Method-Override} (the client sends PATCH as an overridden POST); an unknown request is
   * named by its method and path.
   */
  static String of(String method, String path) {
    String m = method.toUpperCase(Locale.ROOT);
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String resource = slash < 0 ? "" : rest.substring(slash + 1);
    for (Rule rule : RULES) {
      if (rule.method().equals(m) && rule.path().matcher(resource).matches()) {
        return rule.name();
      }
    }
    return m + " " + resource;
  }
}
