package dev.orgprovisioner.catalog;

import dev.orgprovisioner.catalog.Violation.Rule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The semantic rules of the catalog (docs/architecture.md §4), applied to a parsed catalog. */
public final class CatalogValidator {

  /** BigQuery's limit on clustering columns. */
  public static final int MAX_CLUSTERING_FIELDS = 4;

  private CatalogValidator() {}

  /** Every rule broken by the catalog; empty when it is valid. */
  public static List<Violation> validate(Catalog catalog) {
    List<Violation> out = new ArrayList<>();
    for (Scope scope : Scope.values()) {
      validateScope(catalog, catalog.scope(scope), out);
    }
    return out;
  }

  private static void validateScope(Catalog catalog, ScopeCatalog sc, List<Violation> out) {
    String dir = sc.scope().id();
    // The catalog's labels are checked (INVALID_LABEL) as it is read; here only the options.
    for (DatasetSettingsRules.Problem p : DatasetSettingsRules.check(sc.settings())) {
      out.add(
          new Violation(
              dir + "/catalog.yml",
              null,
              "dataset." + p.field(),
              Rule.INVALID_DATASET_SETTING,
              "dataset." + p.field() + " " + p.message()));
    }
    Set<String> seen = new HashSet<>();
    for (TableDef table : sc.tables()) {
      String file = dir + "/tables/" + table.name() + ".json";
      if (!seen.add(table.name().toLowerCase(Locale.ROOT))) {
        out.add(
            new Violation(
                dir + "/catalog.yml",
                table.name(),
                null,
                Rule.DUPLICATE_TABLE,
                "table is defined more than once"));
      }
      if (table.description() == null || table.description().isBlank()) {
        out.add(
            new Violation(
                dir + "/catalog.yml",
                table.name(),
                null,
                Rule.MISSING_DESCRIPTION,
                "table has no description"));
      }
      checkColumns(file, table.name(), "", table.columns(), out);
      checkCreatedAt(file, table, out);
      if (sc.scope() == Scope.CENTRAL) {
        checkCentral(file, table, out);
      }
      checkPartitioning(dir, table, out);
      checkClustering(dir, table, out);
    }
    for (ViewDef view : sc.views()) {
      if (!seen.add(view.name().toLowerCase(Locale.ROOT))) {
        out.add(
            new Violation(
                dir + "/catalog.yml",
                view.name(),
                null,
                Rule.DUPLICATE_TABLE,
                "name is used by a table or view already"));
      }
      checkView(catalog, dir, view, out);
    }
  }

  private static void checkColumns(
      String file, String table, String parent, List<Column> columns, List<Violation> out) {
    Set<String> names = new HashSet<>();
    for (Column c : columns) {
      String path = parent.isEmpty() ? c.name() : parent + "." + c.name();
      if (!names.add(c.name().toLowerCase(Locale.ROOT))) {
        out.add(
            new Violation(file, table, path, Rule.DUPLICATE_COLUMN, "column is declared twice"));
      }
      if (c.description() == null || c.description().isBlank()) {
        out.add(
            new Violation(
                file, table, path, Rule.MISSING_DESCRIPTION, "column has no description"));
      }
      checkColumns(file, table, path, c.fields(), out);
    }
  }

  private static void checkCreatedAt(String file, TableDef table, List<Violation> out) {
    Optional<Column> createdAt = table.column("created_at");
    boolean ok =
        createdAt.isPresent()
            && createdAt.get().type() == FieldType.TIMESTAMP
            && createdAt.get().mode() == FieldMode.REQUIRED;
    if (!ok) {
      out.add(
          new Violation(
              file,
              table.name(),
              "created_at",
              Rule.MISSING_CREATED_AT,
              "every table needs created_at TIMESTAMP REQUIRED"));
    }
  }

  private static void checkCentral(String file, TableDef table, List<Violation> out) {
    if (!table.name().startsWith("org_")) {
      out.add(
          new Violation(
              file, table.name(), null, Rule.CENTRAL_TABLE_NAME, "central tables are named org_*"));
    }
    if (table.column("org_slug").isEmpty()) {
      out.add(
          new Violation(
              file,
              table.name(),
              "org_slug",
              Rule.CENTRAL_MISSING_ORG_SLUG,
              "every central table has an org_slug column"));
    }
    if (table.clustering().isEmpty() || !table.clustering().get(0).equalsIgnoreCase("org_slug")) {
      out.add(
          new Violation(
              file,
              table.name(),
              "org_slug",
              Rule.CENTRAL_ORG_SLUG_NOT_FIRST_IN_CLUSTERING,
              "org_slug must be the first clustering field of a central table"));
    }
  }

  private static void checkPartitioning(String dir, TableDef table, List<Violation> out) {
    Partitioning p = table.partitioning();
    if (p == null) {
      return;
    }
    String file = dir + "/catalog.yml";
    Optional<Column> field = table.column(p.field());
    if (field.isEmpty()) {
      out.add(
          new Violation(
              file,
              table.name(),
              p.field(),
              Rule.PARTITION_FIELD_MISSING,
              "partition field does not exist in the table"));
    } else if (field.get().type() != null
        && (!field.get().type().isTimePartitionable()
            || field.get().mode() == FieldMode.REPEATED)) {
      out.add(
          new Violation(
              file,
              table.name(),
              p.field(),
              Rule.PARTITION_FIELD_TYPE,
              "partition field must be a DATE, TIMESTAMP or DATETIME column, is "
                  + field.get().type()));
    }
  }

  private static void checkClustering(String dir, TableDef table, List<Violation> out) {
    String file = dir + "/catalog.yml";
    if (table.clustering().size() > MAX_CLUSTERING_FIELDS) {
      out.add(
          new Violation(
              file,
              table.name(),
              null,
              Rule.CLUSTERING_TOO_MANY,
              "at most " + MAX_CLUSTERING_FIELDS + " clustering fields"));
    }
    for (String name : table.clustering()) {
      if (name.contains(".")) {
        out.add(
            new Violation(
                file,
                table.name(),
                name,
                Rule.CLUSTERING_FIELD_NOT_TOP_LEVEL,
                "clustering fields must be top-level columns"));
        continue;
      }
      Optional<Column> column = table.column(name);
      if (column.isEmpty()) {
        out.add(
            new Violation(
                file,
                table.name(),
                name,
                Rule.CLUSTERING_FIELD_MISSING,
                "clustering field does not exist in the table"));
      } else if (column.get().mode() == FieldMode.REPEATED) {
        out.add(
            new Violation(
                file,
                table.name(),
                name,
                Rule.CLUSTERING_FIELD_REPEATED,
                "clustering fields cannot be REPEATED"));
      } else if (column.get().type() != null && !column.get().type().isClusterable()) {
        out.add(
            new Violation(
                file,
                table.name(),
                name,
                Rule.CLUSTERING_FIELD_TYPE,
                "type " + column.get().type() + " cannot be clustered"));
      }
    }
  }

  private static void checkView(Catalog catalog, String dir, ViewDef view, List<Violation> out) {
    String file = dir + "/views/" + view.name() + ".sql";
    if (view.description() == null || view.description().isBlank()) {
      out.add(
          new Violation(
              dir + "/catalog.yml",
              view.name(),
              null,
              Rule.MISSING_DESCRIPTION,
              "view has no description"));
    }
    List<String> templates = new ArrayList<>();
    templates.add(view.template());
    templates.addAll(view.overrides().values());
    for (String template : templates) {
      for (String unknown : ViewTemplate.unknownPlaceholders(template)) {
        out.add(
            new Violation(
                file,
                view.name(),
                null,
                Rule.VIEW_UNKNOWN_PLACEHOLDER,
                "unknown placeholder {{" + unknown + "}}"));
      }
      for (TableRef ref : ViewTemplate.references(template)) {
        if (catalog.scope(ref.scope()).table(ref.table()).isEmpty()) {
          out.add(
              new Violation(
                  file,
                  view.name(),
                  null,
                  Rule.VIEW_UNKNOWN_REFERENCE,
                  "references "
                      + ref.scope().id()
                      + "."
                      + ref.table()
                      + ", which is not a catalog table"));
        }
      }
      // Org views read shared central tables; without the slug filter one tenant sees all.
      boolean readsCentral =
          ViewTemplate.references(template).stream().anyMatch(r -> r.scope() == Scope.CENTRAL);
      if (readsCentral && !template.contains("{{org_slug}}")) {
        out.add(
            new Violation(
                file,
                view.name(),
                null,
                Rule.VIEW_WITHOUT_ORG_FILTER,
                "a view over central tables must filter on {{org_slug}}"));
      }
    }
  }
}
