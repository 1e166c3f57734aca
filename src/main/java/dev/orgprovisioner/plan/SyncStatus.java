package dev.orgprovisioner.plan;

/** How a dataset compares with the catalog, as reported by status and drift checks. */
public enum SyncStatus {
  /** Matches the catalog (extra objects aside). */
  SYNCED,
  /** Differs; the drift report says how. */
  OUT_OF_SYNC,
  /** The central dataset does not exist yet. */
  NOT_BOOTSTRAPPED,
  /** The org has a profile but its dataset is gone. */
  PROFILE_ONLY,
  /** No profile for this org. */
  NOT_FOUND
}
