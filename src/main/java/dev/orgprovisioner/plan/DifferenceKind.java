package dev.orgprovisioner.plan;

/** Every kind of difference the planner recognises, each with its fixed classification. */
public enum DifferenceKind {
  DATASET_MISSING(Classification.ADDITIVE),
  DATASET_OPTIONS_CHANGED(Classification.ADDITIVE),
  TABLE_MISSING(Classification.ADDITIVE),
  COLUMN_MISSING(Classification.ADDITIVE),
  COLUMN_MODE_RELAXABLE(Classification.ADDITIVE),
  COLUMN_DESCRIPTION_CHANGED(Classification.ADDITIVE),
  TABLE_OPTIONS_CHANGED(Classification.ADDITIVE),
  VIEW_MISSING(Classification.ADDITIVE),
  VIEW_OUTDATED(Classification.ADDITIVE),
  /** The view's SQL is not its rendered template (edited by hand), though its labels are. */
  VIEW_SQL_CHANGED(Classification.ADDITIVE),
  /** A dataset the tenant views need is not authorized where it must be (docs/tenant-access.md). */
  AUTHORIZATION_MISSING(Classification.ADDITIVE),
  COLUMN_TYPE_CHANGED(Classification.NON_ADDITIVE),
  COLUMN_MODE_TIGHTENED(Classification.NON_ADDITIVE),
  COLUMN_REPEATED_CHANGED(Classification.NON_ADDITIVE),
  NEW_REQUIRED_COLUMN(Classification.NON_ADDITIVE),
  PARTITIONING_CHANGED(Classification.NON_ADDITIVE),
  OBJECT_KIND_CHANGED(Classification.NON_ADDITIVE),
  /** The dataset is in another location than recorded; BigQuery cannot move a dataset. */
  DATASET_LOCATION_CHANGED(Classification.NON_ADDITIVE),
  EXTRA_COLUMN(Classification.INFORMATIONAL),
  EXTRA_TABLE(Classification.INFORMATIONAL),
  EXTRA_VIEW(Classification.INFORMATIONAL),
  /**
   * The dataset, table or view was last synced by a newer catalog version than this worker runs (a
   * deploy in progress): its labels, options, descriptions and view definition are left as the
   * newer version set them, never downgraded.
   */
  NEWER_VERSION(Classification.INFORMATIONAL);

  private final Classification classification;

  DifferenceKind(Classification classification) {
    this.classification = classification;
  }

  public Classification classification() {
    return classification;
  }
}
