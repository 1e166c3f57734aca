package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;

/**
 * Where an org's dataset lives: chosen once at onboarding, then fixed (BigQuery cannot move it).
 */
final class Residency {

  static final String CONFLICT = "DATASET_LOCATION_CONFLICT";

  private Residency() {}

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
