package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.plan.SyncStatus;

/**
 * The status of the central dataset or of one org.
 *
 * @param target {@code central} or the org slug
 * @param drift the plan and drift report; null when there is nothing to compare
 */
public record StatusReport(
    String target, String dataset, SyncStatus status, boolean datasetExists, PlanReport drift) {}
