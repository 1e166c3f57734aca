package dev.orgprovisioner.plan;

import java.util.Map;

/**
 * A view as the warehouse reports it; its labels carry the catalog definition hash.
 *
 * @param sql the view's query as the warehouse echoes it, or null when the snapshot did not read it
 *     (then only the labels and the description are compared)
 */
public record ObservedView(
    String name, String description, Map<String, String> labels, String sql) {

  public ObservedView {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** A view whose SQL was not read. */
  public ObservedView(String name, String description, Map<String, String> labels) {
    this(name, description, labels, null);
  }
}
