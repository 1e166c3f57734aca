package dev.orgprovisioner.provisioning;

import java.util.List;

/**
 * What a sync or bootstrap did.
 *
 * @param plan the plan as computed before applying
 * @param applied the steps applied, in order (empty for a dry run)
 */
public record SyncResult(PlanReport plan, boolean dryRun, List<String> applied) {}
