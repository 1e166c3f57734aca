package dev.orgprovisioner.provisioning;

import java.util.Locale;

/** Deployment environment; it is part of every org dataset's name. */
public enum Environment {
  LOCAL,
  STAGE,
  PROD;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
