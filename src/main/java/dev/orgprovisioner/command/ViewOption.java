package dev.orgprovisioner.command;

/** What a sync does with the catalog's views ({@code options.views}: false, true, "recreate"). */
public enum ViewOption {
  /** Leave views alone ({@code false}). */
  SKIP,
  /** Create missing views and replace outdated ones ({@code true}, the default). */
  UPDATE,
  /** Replace every view of the catalog, even one that is up to date ({@code "recreate"}). */
  RECREATE
}
