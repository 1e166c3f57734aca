package dev.orgprovisioner.catalog;

import java.util.Locale;

/** Which dataset a part of the catalog describes: the shared central one or each org's own. */
public enum Scope {
  CENTRAL,
  ORG;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
