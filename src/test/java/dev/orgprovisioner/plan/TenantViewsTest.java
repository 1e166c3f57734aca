package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.ViewDef;
import dev.orgprovisioner.plan.PlanStep.CreateDataset;
import dev.orgprovisioner.plan.PlanStep.CreateOrReplaceView;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantViewsTest {

  private static final Catalog CATALOG = CatalogFixtures.project();
  private static final TenantShards SHARDS = new TenantShards("organizations", 40);
  private static final TenantViews.Layout ACME = TenantViews.layout(SHARDS, "acme", "acme_prod");
  // Renders as a test stand-in for an engine: the step's template with its datasets named.
  private static final ViewRenderer RENDER =
      v ->
          dev.orgprovisioner.catalog.ViewTemplate.render(
              v.view().template(),
              ref ->
                  (ref.scope() == dev.orgprovisioner.catalog.Scope.CENTRAL
                          ? v.centralDataset()
                          : v.dataset())
                      + "."
                      + ref.table(),
              v.orgSlug());

  @Test
  void layout_namesTheOrgsShard_andAViewsDatasetBesideItsData() {
    assertThat(ACME.shardDataset()).isEqualTo(SHARDS.shardDatasetOf("acme"));
    assertThat(ACME.viewsDataset()).isEqualTo("acme_prod_views");
    assertThat(ACME.authorizations())
        .containsExactly(
            new TenantViews.Authorization("organizations", ACME.shardDataset()),
            new TenantViews.Authorization(ACME.shardDataset(), "acme_prod_views"));
  }

  @Test
  void aNewOrg_getsItsViewsDataset_itsFilteredViewsInTheShard_andViewsOverThem() {
    TenantViews.Result r =
        TenantViews.plan(ACME, "EU", CATALOG.org(), false, Optional.empty(), RENDER);

    List<PlanStep> all = r.all();
    assertThat(all.subList(0, 2))
        .extracting(PlanStep::dataset)
        .containsExactly(ACME.shardDataset(), "acme_prod_views");
    assertThat(all.subList(0, 2))
        .allMatch(s -> s instanceof CreateDataset c && c.location().equals("EU"));
    int views = CATALOG.org().views().size();
    assertThat(r.shardViews()).hasSize(views);
    for (CreateOrReplaceView v : r.shardViews()) {
      assertThat(v.view().name()).startsWith("acme__");
      assertThat(RENDER.sql(v)).contains("organizations.org_").contains("org_slug = 'acme'");
    }
    List<CreateOrReplaceView> over =
        all.subList(2 + views, all.size()).stream().map(s -> (CreateOrReplaceView) s).toList();
    assertThat(over).hasSize(views).allMatch(v -> v.dataset().equals("acme_prod_views"));
    assertThat(RENDER.sql(over.get(0)))
        .isEqualTo(
            "SELECT * FROM "
                + ACME.shardDataset()
                + ".acme__"
                + CATALOG.org().views().get(0).name());
  }

  @Test
  void anOrgInLine_needsNoStep_butItsShardViewsAreReapplied() {
    TenantViews.Result first =
        TenantViews.plan(ACME, "EU", CATALOG.org(), false, Optional.empty(), RENDER);
    ObservedDataset views = observed(first, "acme_prod_views");

    TenantViews.Result again =
        TenantViews.plan(ACME, "EU", CATALOG.org(), true, Optional.of(views), RENDER);

    assertThat(again.steps()).isEmpty();
    assertThat(again.differences()).isEmpty();
    assertThat(again.shardViews()).hasSize(CATALOG.org().views().size());
  }

  @Test
  void aViewOfTheViewsDatasetEditedByHand_isAdditiveDrift_andReplaced() {
    TenantViews.Result first =
        TenantViews.plan(ACME, "EU", CATALOG.org(), false, Optional.empty(), RENDER);
    ObservedDataset views = observed(first, "acme_prod_views");
    String name = CATALOG.org().views().get(0).name();
    ObservedView edited = views.view(name).orElseThrow();
    Map<String, ObservedView> changed = new java.util.LinkedHashMap<>(views.views());
    changed.put(
        name,
        new ObservedView(
            name,
            edited.description(),
            edited.labels(),
            "SELECT * FROM organizations.org_profiles"));
    ObservedDataset byHand =
        new ObservedDataset(
            views.name(),
            views.description(),
            views.location(),
            views.labels(),
            views.tables(),
            changed);

    TenantViews.Result r =
        TenantViews.plan(ACME, "EU", CATALOG.org(), true, Optional.of(byHand), RENDER);

    assertThat(r.differences())
        .singleElement()
        .satisfies(d -> assertThat(d.kind()).isEqualTo(DifferenceKind.VIEW_SQL_CHANGED));
    assertThat(r.steps())
        .singleElement()
        .extracting(PlanStep::dataset)
        .isEqualTo("acme_prod_views");
  }

  @Test
  void aMissingAuthorization_isAdditiveDrift() {
    List<TenantViews.Authorization> missing =
        TenantViews.missing(
            ACME, Map.of("organizations", List.of(ACME.shardDataset(), "someone_elses")));

    assertThat(missing)
        .containsExactly(new TenantViews.Authorization(ACME.shardDataset(), "acme_prod_views"));
    assertThat(TenantViews.differences(missing))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(DifferenceKind.AUTHORIZATION_MISSING);
              assertThat(d.classification()).isEqualTo(Classification.ADDITIVE);
            });
  }

  @Test
  void everyPrincipal_readsTheViewsDataset_asReaderOnly() {
    AccessEntry writer = AccessEntry.parse("group:etl@acme.com", AccessEntry.Role.WRITER);
    AccessEntry reader = AccessEntry.parse("group:etl@acme.com", AccessEntry.Role.READER);
    AccessEntry ann = AccessEntry.parse("user:ann@acme.com", AccessEntry.Role.READER);

    assertThat(TenantViews.readers(List.of(writer, reader, ann))).containsExactly(reader, ann);
  }

  /** The datasets the plan would create, as a snapshot shows them after. */
  private static ObservedDataset observed(TenantViews.Result plan, String dataset) {
    Map<String, ObservedView> views = new java.util.LinkedHashMap<>();
    List<PlanStep> steps = new ArrayList<>(plan.all());
    for (PlanStep s : steps) {
      if (s instanceof CreateOrReplaceView v && v.dataset().equals(dataset)) {
        ViewDef def = v.view();
        views.put(
            def.name(), new ObservedView(def.name(), def.description(), v.labels(), RENDER.sql(v)));
      }
    }
    CreateDataset created =
        steps.stream()
            .filter(s -> s instanceof CreateDataset c && c.dataset().equals(dataset))
            .map(s -> (CreateDataset) s)
            .findFirst()
            .orElseThrow();
    return new ObservedDataset(
        dataset, created.description(), "EU", created.labels(), Map.of(), views);
  }
}
