package dev.orgprovisioner.plan;

import java.util.Map;

/** A view as the warehouse reports it; its labels carry the catalog definition hash. */
public record ObservedView(String name, String description, Map<String, String> labels) {

  public ObservedView {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
