package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.ledger.memory.InMemoryRollouts;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.RolloutSpec;
import dev.orgprovisioner.rollout.Wave;
import dev.orgprovisioner.rollout.WavePlanner;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A roll-out's dry run over a DuckDB fleet of ten orgs, three of them missing a column. */
class RolloutDryRunTest {

  private static final List<String> MISSING = List.of("fleet_2", "fleet_5", "fleet_7");

  private DuckDbWarehouse duck;
  private ProvisioningService service;
  private final InMemoryRollouts rollouts = new InMemoryRollouts();
  private final List<String> fleet = new ArrayList<>();

  @BeforeEach
  void fleet() {
    duck = new DuckDbWarehouse(":memory:");
    service =
        new ProvisioningService(
            CatalogFixtures.minimal(), duck, new ProvisioningSettings(Environment.LOCAL, "EU"));
    service.bootstrap(false);
    for (int i = 0; i < 10; i++) {
      String org = "fleet_" + i;
      duck.upsertRows(
          "organizations",
          "org_profiles",
          List.of("org_slug"),
          List.of(Map.of("org_slug", org, "status", "ACTIVE", "created_at", Instant.now())));
      service.syncOrg(OrgSlug.parse(org), false);
      fleet.add(org);
    }
    MISSING.forEach(
        o -> duck.execute("ALTER TABLE " + o + "_local.usage_daily DROP COLUMN amount"));
  }

  @AfterEach
  void close() {
    duck.close();
  }

  private RolloutSpec spec(String id, String version, Wave... waves) {
    return new RolloutSpec(id, version, List.of(waves), Duration.ofMinutes(30), 0.1, 2);
  }

  private String version() {
    return service.catalog().org().version();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> waves(Map<String, Object> preview) {
    return (List<Map<String, Object>>) preview.get("waves");
  }

  @Test
  void preview_showsTheDriversWaves_theirSteps_calls_andTheLeastTime_writingNothing() {
    RolloutSpec spec =
        spec(
            "add-amount",
            version(),
            new Wave.Canary(List.of("fleet_2", "ghost_org")),
            new Wave.Share(0.5),
            new Wave.Share(1));

    Map<String, Object> preview = new RolloutDryRun(service, rollouts).preview(spec);

    Set<String> earlier = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      List<String> expected = WavePlanner.orgsOf(spec, i, fleet, earlier);
      earlier.addAll(expected);
      assertThat(waves(preview).get(i)).containsEntry("orgs", expected);
    }
    assertThat(earlier).containsExactlyInAnyOrderElementsOf(fleet);
    assertThat(waves(preview).get(0))
        .containsEntry("org_count", 1)
        .containsEntry("orgs_with_changes", 1)
        .containsEntry("not_in_fleet", List.of("ghost_org"))
        .containsEntry("steps", Map.of("add_columns", 1));
    assertThat(preview)
        .containsEntry("fleet", 10)
        .containsEntry("steps", Map.of("add_columns", 3))
        .containsEntry("halts_at_wave", null);
    @SuppressWarnings("unchecked")
    Map<String, Integer> calls = (Map<String, Integer>) preview.get("bigquery_calls");
    assertThat(calls).containsEntry("tables.patch", 3).containsEntry("datasets.get", 10);
    // Nothing waits on a quota at this size; the bake time between the three waves remains.
    assertThat(preview).containsEntry("minimum_seconds", 2 * 30 * 60L);
    assertThat((String) preview.get("minimum_formula")).contains("ceil(n / L) - 1");
    assertThat(rollouts.list(10)).isEmpty();
    assertThat(duck.freshSnapshot("fleet_2_local").orElseThrow().table("usage_daily"))
        .hasValueSatisfying(t -> assertThat(t.columns()).noneMatch(c -> c.name().equals("amount")));
  }

  @Test
  void anOrgWithNonAdditiveDrift_isNamed_andTheWaveItWouldHaltAtIsShown() {
    duck.execute("ALTER TABLE fleet_9_local.usage_daily ALTER COLUMN amount TYPE VARCHAR");

    Map<String, Object> preview =
        new RolloutDryRun(service, rollouts)
            .preview(
                spec("retype", version(), new Wave.Canary(List.of("fleet_1")), new Wave.Share(1)));

    assertThat(waves(preview).get(1)).containsEntry("non_additive_orgs", List.of("fleet_9"));
    assertThat(preview).containsEntry("halts_at_wave", 1);
  }

  @Test
  void aStartThatWouldFail_failsTheDryRunWithTheSameCode() {
    RolloutDryRun dryRun = new RolloutDryRun(service, rollouts);

    assertThatThrownBy(() -> dryRun.preview(spec("other-version", "999", new Wave.Share(1))))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.error().code()).isEqualTo("ROLLOUT_VERSION_MISMATCH"));
    rollouts.create(
        Rollout.started(spec("running", version(), new Wave.Share(1)), "j", Instant.now()));
    assertThatThrownBy(() -> dryRun.preview(spec("running", version(), new Wave.Share(1))))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.error().code()).isEqualTo("ROLLOUT_ID_TAKEN"));
    assertThatThrownBy(() -> dryRun.preview(spec("next-one", version(), new Wave.Share(1))))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.error().code()).isEqualTo("ROLLOUT_IN_PROGRESS"));
    assertThat(RolloutDryRun.conflictField("ROLLOUT_VERSION_MISMATCH"))
        .isEqualTo("data.target_catalog_version");
  }
}
