package dev.orgprovisioner.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** A view as the catalog declares it: an SQL template plus per-dialect overrides. */
public record ViewDef(
    String name, String description, String template, Map<Dialect, String> overrides) {

  public ViewDef {
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
  }

  /** The template to render for an engine: its override when one exists, else the common one. */
  public String templateFor(Dialect dialect) {
    return overrides.getOrDefault(dialect, template);
  }

  /**
   * A short, label-safe fingerprint of the definition. Stored as a label on the created view so
   * that a changed template is detected without comparing engine-specific rendered SQL.
   */
  public String definitionHash() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(template.getBytes(StandardCharsets.UTF_8));
      overrides.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e -> {
                digest.update(e.getKey().id().getBytes(StandardCharsets.UTF_8));
                digest.update(e.getValue().getBytes(StandardCharsets.UTF_8));
              });
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
