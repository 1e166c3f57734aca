package dev.orgprovisioner.plan;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.ScopeCatalog;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewDef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one dataset should look like: the catalog of its scope, its name and location, its options,
 * and the labels that mark it as ours.
 *
 * @param location where the dataset is created and must stay (BigQuery cannot move a dataset); an
 *     existing dataset elsewhere is reported as non-additive drift
 * @param centralDataset the central dataset, which org views read from
 * @param orgSlug the org the dataset belongs to; null for the central dataset
 * @param settings the dataset's options and labels (beyond ours), with every override applied
 */
public record DesiredDataset(
    String name,
    String location,
    ScopeCatalog catalog,
    String centralDataset,
    String orgSlug,
    DatasetSettings settings) {

  public DesiredDataset {
    settings = settings == null ? catalog.datasetSettings() : settings;
  }

  /** A dataset with the catalog's own settings. */
  public DesiredDataset(
      String name, String location, ScopeCatalog catalog, String centralDataset, String orgSlug) {
    this(name, location, catalog, centralDataset, orgSlug, catalog.datasetSettings());
  }

  public static final String MANAGED_BY = "managed-by";
  public static final String MANAGED_BY_VALUE = "org-provisioner";
  public static final String SCHEMA_VERSION = "schema-version";
  public static final String ORG = "org";
  public static final String DEFINITION_HASH = "definition-hash";

  /** Dataset labels: the settings' (the catalog's and any override), ownership, version, org. */
  public Map<String, String> datasetLabels() {
    Map<String, String> labels = new LinkedHashMap<>(settings.labels());
    labels.putAll(ownership());
    if (orgSlug != null) {
      labels.put(ORG, orgSlug);
    }
    return labels;
  }

  /** Table labels: the catalog's for this table, plus ownership and version. */
  public Map<String, String> tableLabels(TableDef table) {
    Map<String, String> labels = new LinkedHashMap<>(table.labels());
    labels.putAll(ownership());
    return labels;
  }

  /** View labels: ownership, version, and the definition hash used to detect changed SQL. */
  public Map<String, String> viewLabels(ViewDef view) {
    Map<String, String> labels = new LinkedHashMap<>(ownership());
    labels.put(DEFINITION_HASH, view.definitionHash());
    return labels;
  }

  private Map<String, String> ownership() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(SCHEMA_VERSION, catalog.version());
    return labels;
  }
}
