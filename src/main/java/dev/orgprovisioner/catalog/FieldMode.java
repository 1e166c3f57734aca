package dev.orgprovisioner.catalog;

import java.util.Locale;
import java.util.Optional;

/** BigQuery column modes; a missing mode means NULLABLE, as in BigQuery. */
public enum FieldMode {
  NULLABLE,
  REQUIRED,
  REPEATED;

  /** Parses a mode name; null or blank is NULLABLE, an unknown name is empty. */
  public static Optional<FieldMode> parse(String name) {
    if (name == null || name.isBlank()) {
      return Optional.of(NULLABLE);
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
