package dev.orgprovisioner.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orgprovisioner.catalog.Violation.Rule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code catalog.yml}, table JSON and view SQL for both scopes, then validates the result.
 * Every problem found, in parsing or in the rules, is collected so that one failed start lists all
 * of them.
 */
public final class CatalogLoader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CatalogSource source;
  private final List<Violation> violations = new ArrayList<>();

  private CatalogLoader(CatalogSource source) {
    this.source = source;
  }

  /** Loads and validates the catalog; throws {@link CatalogInvalidException} listing every rule. */
  public static Catalog load(CatalogSource source) {
    CatalogLoader loader = new CatalogLoader(source);
    ScopeCatalog central = loader.loadScope(Scope.CENTRAL);
    ScopeCatalog org = loader.loadScope(Scope.ORG);
    Catalog catalog = new Catalog(central, org);
    List<Violation> all = new ArrayList<>(loader.violations);
    all.addAll(CatalogValidator.validate(catalog));
    if (!all.isEmpty()) {
      throw new CatalogInvalidException(all);
    }
    return catalog;
  }

  private ScopeCatalog loadScope(Scope scope) {
    String dir = scope.id();
    String catalogFile = dir + "/catalog.yml";
    JsonNode root = readTree(YAML, catalogFile);
    if (root == null) {
      return new ScopeCatalog(
          scope, "0", null, null, Map.of(), DatasetSettings.NONE, List.of(), List.of());
    }
    if (!scope.id().equals(root.path("scope").asText())) {
      violation(
          catalogFile, null, null, Rule.INVALID_CATALOG, "scope must be '" + scope.id() + "'");
    }
    String version = root.path("version").asText(null);
    if (version == null || !version.matches("[a-z0-9_-]{1,63}")) {
      violation(
          catalogFile,
          null,
          null,
          Rule.INVALID_CATALOG,
          "version must be set and label-safe ([a-z0-9_-], at most 63 characters)");
      version = "invalid";
    }
    JsonNode dataset = root.path("dataset");
    String datasetName = dataset.path("name").asText(null);
    if (scope == Scope.CENTRAL
        && (datasetName == null || !datasetName.matches("[a-z0-9_]{1,1024}"))) {
      violation(catalogFile, null, null, Rule.INVALID_CATALOG, "dataset.name must be a dataset id");
    }
    List<TableDef> tables = new ArrayList<>();
    Set<String> listedFiles = new HashSet<>();
    for (JsonNode tableNode : iterable(root.path("tables"))) {
      String name = tableNode.path("name").asText("");
      listedFiles.add(name + ".json");
      tables.add(loadTable(dir, tableNode, name));
    }
    List<ViewDef> views = new ArrayList<>();
    Set<String> listedViews = new HashSet<>();
    for (JsonNode viewNode : iterable(root.path("views"))) {
      String name = viewNode.path("name").asText("");
      listedViews.add(name);
      loadView(dir, viewNode, name).ifPresent(views::add);
    }
    reportUnlisted(dir + "/tables", listedFiles, f -> f.endsWith(".json"));
    reportUnlisted(
        dir + "/views", listedViews, f -> f.endsWith(".sql"), f -> f.substring(0, f.indexOf('.')));
    return new ScopeCatalog(
        scope,
        version,
        datasetName,
        dataset.path("description").asText(null),
        labels(catalogFile, null, dataset.path("labels")),
        DatasetSettingsJson.read(
            dataset,
            (field, message) ->
                violation(
                    catalogFile,
                    null,
                    "dataset." + field,
                    Rule.INVALID_DATASET_SETTING,
                    "dataset." + field + " " + message)),
        tables,
        views);
  }

  private TableDef loadTable(String dir, JsonNode tableNode, String name) {
    String catalogFile = dir + "/catalog.yml";
    String file = dir + "/tables/" + name + ".json";
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,1023}")) {
      violation(catalogFile, name, null, Rule.INVALID_NAME, "table name is not a valid identifier");
    }
    JsonNode schema = readTree(JSON, file);
    List<Column> columns = new ArrayList<>();
    if (schema != null) {
      if (!schema.isArray()) {
        violation(file, name, null, Rule.UNREADABLE_FILE, "must be a JSON array of fields");
      } else {
        columns = parseFields(file, name, "", schema);
      }
    }
    Partitioning partitioning = null;
    JsonNode p = tableNode.path("partitioning");
    if (p.isObject()) {
      PartitionType type;
      try {
        type = PartitionType.valueOf(p.path("type").asText("DAY").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        violation(
            catalogFile,
            name,
            null,
            Rule.INVALID_CATALOG,
            "partitioning.type must be HOUR, DAY, MONTH or YEAR");
        type = PartitionType.DAY;
      }
      JsonNode expiration = p.path("expiration_days");
      partitioning =
          new Partitioning(
              type,
              p.path("field").asText(""),
              expiration.isNumber() ? expiration.asLong() : null,
              p.path("require_partition_filter").asBoolean(false));
    }
    List<String> clustering = new ArrayList<>();
    iterable(tableNode.path("clustering")).forEach(n -> clustering.add(n.asText()));
    return new TableDef(
        name,
        tableNode.path("description").asText(null),
        columns,
        partitioning,
        clustering,
        labels(catalogFile, name, tableNode.path("labels")));
  }

  private List<Column> parseFields(String file, String table, String parentPath, JsonNode array) {
    List<Column> columns = new ArrayList<>();
    for (JsonNode f : array) {
      String name = f.path("name").asText("");
      String path = parentPath.isEmpty() ? name : parentPath + "." + name;
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,299}")) {
        violation(file, table, path, Rule.INVALID_NAME, "column name is not a valid identifier");
      }
      String typeName = f.path("type").asText(null);
      FieldType type = FieldType.parse(typeName).orElse(null);
      if (type == null) {
        violation(file, table, path, Rule.INVALID_TYPE, "unknown BigQuery type '" + typeName + "'");
      }
      String modeName = f.path("mode").asText(null);
      FieldMode mode = FieldMode.parse(modeName).orElse(null);
      if (mode == null) {
        violation(
            file,
            table,
            path,
            Rule.INVALID_MODE,
            "mode '" + modeName + "' is not NULLABLE, REQUIRED or REPEATED");
        mode = FieldMode.NULLABLE;
      }
      List<Column> nested =
          f.has("fields") ? parseFields(file, table, path, f.path("fields")) : List.of();
      if (type == FieldType.STRUCT && nested.isEmpty()) {
        violation(file, table, path, Rule.RECORD_WITHOUT_FIELDS, "RECORD needs at least one field");
      }
      if (type != null && type != FieldType.STRUCT && !nested.isEmpty()) {
        violation(file, table, path, Rule.FIELDS_ON_SCALAR, "only RECORD columns may have fields");
      }
      columns.add(new Column(name, type, mode, f.path("description").asText(null), nested));
    }
    return columns;
  }

  private Optional<ViewDef> loadView(String dir, JsonNode viewNode, String name) {
    String file = dir + "/views/" + name + ".sql";
    Optional<String> template = readText(file);
    if (template.isEmpty()) {
      violation(file, name, null, Rule.MISSING_FILE, "view template not found");
      return Optional.empty();
    }
    Map<Dialect, String> overrides = new LinkedHashMap<>();
    for (Dialect dialect : Dialect.values()) {
      readText(dir + "/views/" + name + "." + dialect.id() + ".sql")
          .ifPresent(sql -> overrides.put(dialect, sql));
    }
    return Optional.of(
        new ViewDef(name, viewNode.path("description").asText(null), template.get(), overrides));
  }

  private Map<String, String> labels(String file, String table, JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              String key = e.getKey();
              String value = e.getValue().asText();
              if (!key.matches("[a-z][a-z0-9_-]{0,62}") || !value.matches("[a-z0-9_-]{0,63}")) {
                violation(
                    file,
                    table,
                    null,
                    Rule.INVALID_LABEL,
                    "label '" + key + "=" + value + "' is not lowercase [a-z0-9_-]");
              }
              labels.put(key, value);
            });
    return labels;
  }

  private void reportUnlisted(
      String dir, Set<String> listed, java.util.function.Predicate<String> relevant) {
    reportUnlisted(dir, listed, relevant, f -> f);
  }

  private void reportUnlisted(
      String dir,
      Set<String> listed,
      java.util.function.Predicate<String> relevant,
      java.util.function.Function<String, String> key) {
    try {
      source
          .list(dir)
          .ifPresent(
              files ->
                  files.stream()
                      .filter(relevant)
                      .filter(f -> !listed.contains(key.apply(f)))
                      .forEach(
                          f ->
                              violation(
                                  dir + "/" + f,
                                  null,
                                  null,
                                  Rule.UNLISTED_FILE,
                                  "file is not listed in catalog.yml")));
    } catch (IOException e) {
      violation(dir, null, null, Rule.UNREADABLE_FILE, e.getMessage());
    }
  }

  private JsonNode readTree(ObjectMapper mapper, String file) {
    Optional<String> text = readText(file);
    if (text.isEmpty()) {
      violation(file, null, null, Rule.MISSING_FILE, "file not found");
      return null;
    }
    try {
      return mapper.readTree(text.get());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      violation(file, null, null, Rule.UNREADABLE_FILE, "cannot parse: " + e.getOriginalMessage());
    } catch (IOException e) {
      violation(file, null, null, Rule.UNREADABLE_FILE, "cannot parse: " + e.getMessage());
    }
    return null;
  }

  private Optional<String> readText(String file) {
    try {
      return source.read(file);
    } catch (IOException e) {
      violation(file, null, null, Rule.UNREADABLE_FILE, e.getMessage());
      return Optional.empty();
    }
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    return node.isArray() ? node : List.of();
  }

  private void violation(String file, String table, String column, Rule rule, String message) {
    violations.add(new Violation(file, table, column, rule, message));
  }
}
