package dev.orgprovisioner.catalog;

import java.util.stream.Collectors;

/**
 * Generates the catalog summary shown in the README, so documented counts always come from the
 * catalog itself (the old system's docs said 20 tables while it had 21).
 */
public final class CatalogDocs {

  public static final String BEGIN =
      "<!-- catalog:begin (generated from schemas/ by CatalogDocs; CatalogDocsTest fails when"
          + " stale) -->";
  public static final String END = "<!-- catalog:end -->";

  private CatalogDocs() {}

  /** The README block, markers included. */
  public static String readmeBlock(Catalog catalog) {
    StringBuilder out = new StringBuilder(BEGIN).append("\n");
    out.append("Catalog version ")
        .append(catalog.org().version())
        .append(": **")
        .append(catalog.central().tables().size())
        .append(" central tables** in `")
        .append(catalog.central().datasetName())
        .append("`, **")
        .append(catalog.org().tables().size())
        .append(" per-org tables** and **")
        .append(catalog.org().views().size())
        .append(" per-org views** in each `{org_slug}_{env}` dataset.\n\n");
    out.append("| scope | table | partitioned on (DAY unless noted) | clustered by |\n");
    out.append("|---|---|---|---|\n");
    for (Scope scope : Scope.values()) {
      for (TableDef t : catalog.scope(scope).tables()) {
        out.append("| ")
            .append(scope.id())
            .append(" | `")
            .append(t.name())
            .append("` | ")
            .append(
                t.partitioningIfAny()
                    .map(
                        p ->
                            p.field()
                                + (p.type() == PartitionType.DAY ? "" : " (" + p.type() + ")"))
                    .orElse("–"))
            .append(" | ")
            .append(t.clustering().isEmpty() ? "–" : String.join(", ", t.clustering()))
            .append(" |\n");
      }
    }
    out.append("\nViews (per org): ")
        .append(
            catalog.org().views().stream()
                .map(v -> "`" + v.name() + "`")
                .collect(Collectors.joining(", ")))
        .append(".\n");
    return out.append(END).toString();
  }

  /** Replaces the generated block in a document; the markers must already be there. */
  public static String replaceBlock(String document, Catalog catalog) {
    int begin = document.indexOf(BEGIN);
    int end = document.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("the document has no catalog block markers");
    }
    return document.substring(0, begin)
        + readmeBlock(catalog)
        + document.substring(end + END.length());
  }
}
