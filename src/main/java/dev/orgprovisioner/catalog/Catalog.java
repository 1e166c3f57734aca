package dev.orgprovisioner.catalog;

/** The whole declarative schema catalog: the central dataset and the per-org dataset. */
public record Catalog(ScopeCatalog central, ScopeCatalog org) {

  public ScopeCatalog scope(Scope scope) {
    return scope == Scope.CENTRAL ? central : org;
  }
}
