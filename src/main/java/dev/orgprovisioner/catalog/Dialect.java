package dev.orgprovisioner.catalog;

import java.util.Locale;

/** SQL engines a view template can be rendered for. */
public enum Dialect {
  BIGQUERY,
  DUCKDB;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
