package dev.orgprovisioner.catalog;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when the catalog breaks one or more rules; lists every violation, not just the first. */
public class CatalogInvalidException extends RuntimeException {

  private final List<Violation> violations;

  public CatalogInvalidException(List<Violation> violations) {
    super(
        "The schema catalog is invalid ("
            + violations.size()
            + " violation"
            + (violations.size() == 1 ? "" : "s")
            + "):\n  "
            + violations.stream().map(Violation::toString).collect(Collectors.joining("\n  ")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
