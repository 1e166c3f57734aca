package dev.orgprovisioner.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.warehouse.Warehouse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts an org's rows in every central table an onboarding writes, to check each is there once.
 */
public final class CentralRowCounts {

  public static final String CENTRAL = "organizations";

  /** The tables an onboarding writes, in the order it writes them. */
  public static final List<String> TABLES =
      List.of(
          "org_profiles",
          "org_subscriptions",
          "org_usage_quotas",
          "org_api_keys",
          "org_hierarchy_levels",
          "org_audit_logs");

  private CentralRowCounts() {}

  /** Rows of {@code org} per central table. */
  public static Map<String, Integer> of(Warehouse warehouse, String org) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String table : TABLES) {
      counts.put(table, warehouse.selectRows(CENTRAL, table, Map.of("org_slug", org), 100).size());
    }
    return counts;
  }

  /** What one onboarding leaves: one row each, three hierarchy levels, the key only if given. */
  public static Map<String, Integer> expected(boolean apiKey) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String table : TABLES) {
      counts.put(table, 1);
    }
    counts.put("org_api_keys", apiKey ? 1 : 0);
    counts.put("org_hierarchy_levels", 3);
    return counts;
  }

  /** Asserts that {@code org} has every central row of one onboarding, each exactly once. */
  public static void assertOnboardedOnce(Warehouse warehouse, String org, boolean apiKey) {
    assertThat(of(warehouse, org)).as(org).containsExactlyEntriesOf(expected(apiKey));
  }
}
