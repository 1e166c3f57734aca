package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.OrgSlug;

/**
 * What the use cases need from configuration.
 *
 * @param environment part of every org dataset name: {@code {org}_{env}}
 * @param defaultLocation dataset location when a command names none
 */
public record ProvisioningSettings(Environment environment, String defaultLocation) {

  /** The dataset of an org, e.g. {@code acme_prod}. One rule, used by every code path. */
  public String orgDataset(OrgSlug org) {
    return org.value() + "_" + environment.id();
  }
}
