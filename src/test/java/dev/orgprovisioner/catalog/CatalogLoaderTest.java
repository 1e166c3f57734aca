package dev.orgprovisioner.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.catalog.Violation.Rule;
import dev.orgprovisioner.testing.CatalogFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CatalogLoaderTest {

  @TempDir Path tmp;

  @Test
  void projectCatalog_isValidAndComplete() {
    Catalog catalog = CatalogFixtures.project();

    assertThat(catalog.central().tables()).hasSize(21);
    assertThat(catalog.org().tables()).hasSize(19);
    assertThat(catalog.org().views())
        .extracting(ViewDef::name)
        .containsExactly(
            "x_org_hierarchy",
            "x_pipeline_exec_logs",
            "x_all_notifications",
            "x_notification_stats");
    assertThat(catalog.central().table("org_hierarchy_levels")).isPresent();
    assertThat(catalog.central().table("hierarchy_levels")).isEmpty();
    assertThat(catalog.central().table("org_notification_history").orElseThrow().column("org_slug"))
        .isPresent();
  }

  @Test
  void packagedCatalog_isTheSameAsTheRepositoryCatalog() {
    Catalog packaged =
        CatalogLoader.load(CatalogSource.classpath("schemas", getClass().getClassLoader()));

    assertThat(packaged).isEqualTo(CatalogFixtures.project());
  }

  @Test
  void brokenCatalog_listsEveryViolationAtOnce() {
    Path root = CatalogFixtures.copy(CatalogFixtures.MINIMAL, tmp);
    CatalogFixtures.edit(root, "central/tables/org_events.json", "\"STRING\"", "\"STRNG\"");
    CatalogFixtures.edit(
        root,
        "org/tables/usage_daily.json",
        "\"description\": \"Amount used.\"",
        "\"description\": \"\"");
    CatalogFixtures.edit(root, "org/catalog.yml", "clustering: [provider]", "clustering: [nope]");

    assertThatThrownBy(() -> CatalogLoader.load(CatalogSource.directory(root)))
        .isInstanceOfSatisfying(
            CatalogInvalidException.class,
            e -> {
              assertThat(e.violations())
                  .extracting(Violation::rule)
                  .contains(
                      Rule.INVALID_TYPE, Rule.MISSING_DESCRIPTION, Rule.CLUSTERING_FIELD_MISSING);
              assertThat(e.getMessage())
                  .contains("central/tables/org_events.json")
                  .contains("table=usage_daily column=amount")
                  .contains("[CLUSTERING_FIELD_MISSING]");
            });
  }

  /** One broken copy of the minimal catalog per rule. */
  static Stream<Arguments> brokenCatalogs() {
    return Stream.of(
        broken(
            Rule.INVALID_TYPE,
            r ->
                CatalogFixtures.edit(r, "org/tables/usage_daily.json", "\"NUMERIC\"", "\"MONEY\"")),
        broken(
            Rule.INVALID_MODE,
            r ->
                CatalogFixtures.edit(r, "org/tables/usage_daily.json", "\"REPEATED\"", "\"MANY\"")),
        broken(
            Rule.INVALID_NAME,
            r ->
                CatalogFixtures.edit(
                    r, "org/tables/usage_daily.json", "\"amount\"", "\"amount-x\"")),
        broken(
            Rule.RECORD_WITHOUT_FIELDS,
            r ->
                CatalogFixtures.write(
                    r,
                    "org/tables/invoices.json",
                    "[{\"name\":\"created_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REQUIRED\",\"description\":\"d\"},"
                        + "{\"name\":\"x\",\"type\":\"RECORD\",\"description\":\"d\"}]")),
        broken(
            Rule.FIELDS_ON_SCALAR,
            r ->
                CatalogFixtures.write(
                    r,
                    "org/tables/invoices.json",
                    "[{\"name\":\"created_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REQUIRED\",\"description\":\"d\"},"
                        + "{\"name\":\"x\",\"type\":\"STRING\",\"description\":\"d\",\"fields\":[{\"name\":\"y\",\"type\":\"STRING\",\"description\":\"d\"}]}]")),
        broken(
            Rule.DUPLICATE_COLUMN,
            r ->
                CatalogFixtures.edit(
                    r, "org/tables/usage_daily.json", "\"amount\"", "\"provider\"")),
        broken(
            Rule.DUPLICATE_TABLE,
            r ->
                CatalogFixtures.edit(
                    r, "org/catalog.yml", "  - name: invoices\n", "  - name: usage_daily\n")),
        broken(
            Rule.MISSING_DESCRIPTION,
            r ->
                CatalogFixtures.edit(
                    r,
                    "org/tables/invoices.json",
                    "\"description\": \"Line cost.\"",
                    "\"description\": \" \"")),
        broken(
            Rule.MISSING_DESCRIPTION,
            r ->
                CatalogFixtures.edit(
                    r, "org/catalog.yml", "description: Daily usage.", "description: \"\"")),
        broken(
            Rule.MISSING_CREATED_AT,
            r ->
                CatalogFixtures.edit(
                    r,
                    "org/tables/invoices.json",
                    "\"created_at\", \"type\": \"TIMESTAMP\", \"mode\": \"REQUIRED\"",
                    "\"created_at\", \"type\": \"TIMESTAMP\", \"mode\": \"NULLABLE\"")),
        broken(
            Rule.MISSING_CREATED_AT,
            r ->
                CatalogFixtures.edit(
                    r,
                    "central/tables/org_events.json",
                    "\"created_at\", \"type\": \"TIMESTAMP\"",
                    "\"created_on\", \"type\": \"TIMESTAMP\"")),
        broken(
            Rule.CENTRAL_TABLE_NAME,
            r -> {
              CatalogFixtures.edit(r, "central/catalog.yml", "name: org_events", "name: events");
              CatalogFixtures.write(
                  r, "central/tables/events.json", read(r, "central/tables/org_events.json"));
              deleteQuietly(r.resolve("central/tables/org_events.json"));
            }),
        broken(
            Rule.CENTRAL_MISSING_ORG_SLUG,
            r ->
                CatalogFixtures.edit(
                    r,
                    "central/tables/org_events.json",
                    "\"name\": \"org_slug\"",
                    "\"name\": \"tenant\"")),
        broken(
            Rule.CENTRAL_ORG_SLUG_NOT_FIRST_IN_CLUSTERING,
            r ->
                CatalogFixtures.edit(
                    r,
                    "central/catalog.yml",
                    "clustering: [org_slug, status]",
                    "clustering: [status, org_slug]")),
        broken(
            Rule.PARTITION_FIELD_MISSING,
            r ->
                CatalogFixtures.edit(
                    r, "org/catalog.yml", "field: usage_date", "field: usage_day")),
        broken(
            Rule.PARTITION_FIELD_TYPE,
            r ->
                CatalogFixtures.edit(r, "org/catalog.yml", "field: usage_date", "field: provider")),
        broken(
            Rule.CLUSTERING_TOO_MANY,
            r ->
                CatalogFixtures.edit(
                    r,
                    "org/catalog.yml",
                    "clustering: [provider]",
                    "clustering: [provider, usage_date, amount, created_at, provider]")),
        broken(
            Rule.CLUSTERING_FIELD_MISSING,
            r ->
                CatalogFixtures.edit(
                    r, "org/catalog.yml", "clustering: [provider]", "clustering: [vendor]")),
        broken(
            Rule.CLUSTERING_FIELD_NOT_TOP_LEVEL,
            r ->
                CatalogFixtures.edit(
                    r,
                    "org/catalog.yml",
                    "    description: Invoices with nested lines.",
                    "    description: Invoices with nested lines.\n    clustering: [billing.email]")),
        broken(
            Rule.CLUSTERING_FIELD_REPEATED,
            r ->
                CatalogFixtures.edit(
                    r, "org/catalog.yml", "clustering: [provider]", "clustering: [tags]")),
        broken(
            Rule.CLUSTERING_FIELD_TYPE,
            r ->
                CatalogFixtures.edit(
                    r,
                    "org/catalog.yml",
                    "    description: Invoices with nested lines.",
                    "    description: Invoices with nested lines.\n    clustering: [billing]")),
        broken(
            Rule.INVALID_LABEL,
            r ->
                CatalogFixtures.edit(
                    r, "central/catalog.yml", "{data-class: audit}", "{Data-Class: Audit}")),
        broken(
            Rule.INVALID_DATASET_SETTING,
            r ->
                CatalogFixtures.edit(
                    r,
                    "org/catalog.yml",
                    "  description: Per-org test dataset.",
                    "  description: Per-org test dataset.\n  max_time_travel_hours: 36")),
        broken(
            Rule.VIEW_UNKNOWN_REFERENCE,
            r ->
                CatalogFixtures.edit(
                    r, "org/views/x_events.sql", "central.org_events", "central.org_secrets")),
        broken(
            Rule.VIEW_UNKNOWN_PLACEHOLDER,
            r ->
                CatalogFixtures.edit(
                    r,
                    "org/views/x_events.sql",
                    "{{org_slug}}",
                    "{{org_slug}} OR 1 = {{anything}}")),
        broken(
            Rule.VIEW_WITHOUT_ORG_FILTER,
            r ->
                CatalogFixtures.edit(
                    r, "org/views/x_events.sql", "WHERE e.org_slug = {{org_slug}}", "")),
        broken(Rule.MISSING_FILE, r -> deleteQuietly(r.resolve("org/tables/invoices.json"))),
        broken(
            Rule.UNLISTED_FILE, r -> CatalogFixtures.write(r, "org/tables/forgotten.json", "[]")),
        broken(
            Rule.UNREADABLE_FILE,
            r -> CatalogFixtures.write(r, "org/tables/invoices.json", "[{\"name\": ")),
        broken(
            Rule.INVALID_CATALOG,
            r ->
                CatalogFixtures.edit(
                    r, "org/catalog.yml", "version: \"1\"", "version: \"1.0 beta\"")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenCatalogs")
  void brokenRule_isReportedWithItsName(Rule rule, Consumer<Path> breakIt) {
    Path root = CatalogFixtures.copy(CatalogFixtures.MINIMAL, tmp);
    breakIt.accept(root);

    assertThatThrownBy(() -> CatalogLoader.load(CatalogSource.directory(root)))
        .isInstanceOfSatisfying(
            CatalogInvalidException.class,
            e -> assertThat(e.violations()).extracting(Violation::rule).contains(rule));
  }

  @Test
  void minimalCatalog_isValid() {
    Catalog catalog = CatalogFixtures.minimal();
    assertThat(CatalogValidator.validate(catalog)).isEmpty();
    assertThat(catalog.org().table("invoices").orElseThrow().column("lines").orElseThrow().fields())
        .extracting(Column::name)
        .isEqualTo(List.of("sku", "cost"));
  }

  private static Arguments broken(Rule rule, Consumer<Path> breakIt) {
    return Arguments.of(rule, breakIt);
  }

  private static String read(Path root, String file) {
    try {
      return java.nio.file.Files.readString(root.resolve(file));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      java.nio.file.Files.deleteIfExists(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
