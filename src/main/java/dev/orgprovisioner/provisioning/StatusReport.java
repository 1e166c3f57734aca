package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.plan.SyncStatus;

/**
 * The status of the central dataset or of one org.
 *
 * @param target {@code central} or the org slug
 * @param drift the plan and drift report; null when there is nothing to compare
 * @param catalogVersion the catalog version the dataset was last synced to (its {@code
 *     schema-version} label); null when there is no dataset or it carries no version
 * @param workerCatalogVersion the catalog version of the worker that answers; during a deploy it
 *     can be older than {@code catalogVersion}, and that worker then leaves the dataset as it is
 */
public record StatusReport(
    String target,
    String dataset,
    SyncStatus status,
    boolean datasetExists,
    PlanReport drift,
    String catalogVersion,
    String workerCatalogVersion) {}
