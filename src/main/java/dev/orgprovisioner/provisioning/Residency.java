package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;
import java.util.Set;

/**
 * Where an org's dataset lives: chosen once at onboarding, then fixed (BigQuery cannot move it).
 */
final class Residency {

  static final String CONFLICT = "DATASET_LOCATION_CONFLICT";
  static final String NOT_ALLOWED = "DATASET_LOCATION_NOT_ALLOWED";

  /**
   * BigQuery's dataset locations (multi-regions and regions, as of 2026-12): where a new dataset
   * may be created unless {@code provisioner.allowed-locations} narrows (or extends) the list.
   */
  static final Set<String> BIGQUERY_LOCATIONS =
      Set.of(
          "US",
          "EU",
          "us-central1",
          "us-east1",
          "us-east4",
          "us-east5",
          "us-south1",
          "us-west1",
          "us-west2",
          "us-west3",
          "us-west4",
          "northamerica-northeast1",
          "northamerica-northeast2",
          "northamerica-south1",
          "southamerica-east1",
          "southamerica-west1",
          "europe-central2",
          "europe-north1",
          "europe-north2",
          "europe-southwest1",
          "europe-west1",
          "europe-west2",
          "europe-west3",
          "europe-west4",
          "europe-west6",
          "europe-west8",
          "europe-west9",
          "europe-west10",
          "europe-west12",
          "asia-east1",
          "asia-east2",
          "asia-northeast1",
          "asia-northeast2",
          "asia-northeast3",
          "asia-south1",
          "asia-south2",
          "asia-southeast1",
          "asia-southeast2",
          "australia-southeast1",
          "australia-southeast2",
          "me-central1",
          "me-central2",
          "me-west1",
          "africa-south1");

  private Residency() {}

  /**
   * Refuses a requested location outside {@code allowed} (compared without case): a new dataset
   * would fail there, or the platform does not keep tenants' data there.
   */
  static void requireAllowed(OrgSlug org, String requested, Set<String> allowed) {
    if (requested == null || requested.isBlank()) {
      return;
    }
    boolean ok = allowed.stream().anyMatch(a -> a.equalsIgnoreCase(requested.trim()));
    if (!ok) {
      throw new JobFailedException(
          ErrorInfo.permanent(
              NOT_ALLOWED,
              "org '"
                  + org
                  + "' asks for dataset_location "
                  + requested
                  + ", which is not an allowed location (provisioner.allowed-locations; by"
                  + " default BigQuery's locations, e.g. US, EU, europe-west3); nothing was"
                  + " changed"),
          null,
          null);
    }
  }

  /**
   * The location of an onboarding's dataset: the one requested, else the one recorded in the
   * profile, else that of an existing dataset, else the default. A request that contradicts the
   * recorded location or an existing dataset fails permanently, naming both.
   *
   * @param recorded the profile's {@code dataset_location}, or null
   * @param observed the location of the existing dataset, or null
   */
  static String locationFor(
      OrgSlug org, String requested, String recorded, String observed, String defaultLocation) {
    if (requested != null && !requested.isBlank()) {
      conflict(org, requested, recorded, "is recorded for it in org_profiles");
      conflict(org, requested, observed, "is where its dataset exists");
      return requested;
    }
    if (recorded != null) {
      return recorded;
    }
    return observed != null ? observed : defaultLocation;
  }

  private static void conflict(OrgSlug org, String requested, String existing, String why) {
    if (existing != null && !existing.equalsIgnoreCase(requested)) {
      throw new JobFailedException(
          ErrorInfo.permanent(
              CONFLICT,
              "org '"
                  + org
                  + "' asks for dataset_location "
                  + requested
                  + " but "
                  + existing
                  + " "
                  + why
                  + "; BigQuery cannot move a dataset, nothing was changed"),
          null,
          null);
    }
  }
}
