package dev.orgprovisioner.plan;

import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.TableDef;
import dev.orgprovisioner.catalog.ViewDef;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One idempotent change to a dataset; a plan is an ordered list of these. */
public sealed interface PlanStep {

  /** The dataset the step changes. */
  String dataset();

  /** A short human-readable description, used in logs, step records and events. */
  String describe();

  /**
   * Creates the dataset with its location, description, labels and options.
   *
   * @param settings the options to set (null ones are left to the warehouse); labels are in {@code
   *     labels}
   */
  record CreateDataset(
      String dataset,
      String location,
      String description,
      Map<String, String> labels,
      DatasetSettings settings)
      implements PlanStep {

    public CreateDataset {
      settings = settings == null ? DatasetSettings.NONE : settings.withLabels(Map.of());
    }

    /** A dataset with no options of its own. */
    public CreateDataset(
        String dataset, String location, String description, Map<String, String> labels) {
      this(dataset, location, description, labels, DatasetSettings.NONE);
    }

    @Override
    public String describe() {
      return "create dataset " + dataset;
    }
  }

  /**
   * Brings the dataset's description, labels and options in line with the catalog. Labels are
   * merged (others' survive); every non-null option is set. A new default KMS key applies to tables
   * created afterwards only, which is why changing it is additive.
   */
  record UpdateDataset(
      String dataset, String description, Map<String, String> labels, DatasetSettings settings)
      implements PlanStep {

    public UpdateDataset {
      settings = settings == null ? DatasetSettings.NONE : settings.withLabels(Map.of());
    }

    /** An update of description and labels alone. */
    public UpdateDataset(String dataset, String description, Map<String, String> labels) {
      this(dataset, description, labels, DatasetSettings.NONE);
    }

    @Override
    public String describe() {
      return "update dataset options of " + dataset;
    }
  }

  /** Creates a table with its full schema, partitioning, clustering and labels. */
  record CreateTable(String dataset, TableDef table, Map<String, String> labels)
      implements PlanStep {
    @Override
    public String describe() {
      return "create table " + dataset + "." + table.name();
    }
  }

  /** Adds every missing column of one table in one change (BigQuery limits table updates). */
  record AddColumns(String dataset, String table, List<ColumnAddition> additions)
      implements PlanStep {
    @Override
    public String describe() {
      return "add columns "
          + additions.stream().map(ColumnAddition::path).toList()
          + " to "
          + dataset
          + "."
          + table;
    }
  }

  /** Relaxes REQUIRED columns of one table to NULLABLE. */
  record RelaxColumns(String dataset, String table, List<String> paths) implements PlanStep {
    @Override
    public String describe() {
      return "relax " + paths + " to NULLABLE in " + dataset + "." + table;
    }
  }

  /** Updates in-place table properties (description, labels, clustering, column descriptions). */
  record UpdateTableOptions(
      String dataset, TableDef table, Map<String, String> labels, Set<TableOption> changes)
      implements PlanStep {
    @Override
    public String describe() {
      return "update " + changes + " of " + dataset + "." + table.name();
    }
  }

  /** Creates or replaces a view from its catalog template, rendered for the org. */
  record CreateOrReplaceView(
      String dataset,
      String centralDataset,
      ViewDef view,
      String orgSlug,
      Map<String, String> labels)
      implements PlanStep {
    @Override
    public String describe() {
      return "create or replace view " + dataset + "." + view.name();
    }
  }

  /**
   * A column to add.
   *
   * @param parentPath dotted path of the RECORD it goes into; empty for a top-level column
   */
  record ColumnAddition(String parentPath, Column column) {
    public String path() {
      return parentPath.isEmpty() ? column.name() : parentPath + "." + column.name();
    }
  }
}
