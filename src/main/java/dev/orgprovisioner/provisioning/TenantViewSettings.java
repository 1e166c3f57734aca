package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.plan.TenantShards;

/**
 * Whether the worker builds the tenant views of docs/tenant-access.md (shard datasets, a views
 * dataset per org, their authorizations and reader grants), and over how many shards.
 *
 * @param shardCount fixed at first deploy: an org's shard is a hash of its slug modulo this count,
 *     so changing it would move orgs (see docs/tenant-access.md)
 */
public record TenantViewSettings(boolean enabled, int shardCount) {

  /** Off, as when configuration says nothing: the worker builds no tenant views. */
  public static final TenantViewSettings DISABLED =
      new TenantViewSettings(false, TenantShards.DEFAULT_COUNT);

  public TenantViewSettings {
    if (shardCount < 1 || shardCount > TenantShards.MAX_AUTHORIZED_PER_LIST) {
      throw new IllegalArgumentException(
          "provisioner.tenant-views.shard-count must be 1 to "
              + TenantShards.MAX_AUTHORIZED_PER_LIST
              + ", not "
              + shardCount);
    }
  }
}
