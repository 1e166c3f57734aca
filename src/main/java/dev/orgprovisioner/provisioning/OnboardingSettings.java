package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.DatasetSettings.Option;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.JobFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The dataset settings an onboarding chooses: recorded once in the org's profile, then kept, like
 * its location (an onboarding repeated with other settings changes nothing and fails).
 */
final class OnboardingSettings {

  static final String CONFLICT = "DATASET_SETTINGS_CONFLICT";

  private OnboardingSettings() {}

  /**
   * The settings of an onboarding: those requested, else those the profile records. A request that
   * contradicts what an existing profile records fails permanently, naming the settings.
   *
   * @param recorded what the org's profile records, when it exists
   */
  static DatasetSettings chosen(
      OrgSlug org, DatasetSettings requested, Optional<RecordedDataset> recorded) {
    if (recorded.isEmpty()) {
      return requested;
    }
    DatasetSettings have = recorded.get().settings();
    if (requested.isEmpty() || requested.equals(have)) {
      return have;
    }
    throw new JobFailedException(
        ErrorInfo.permanent(
            CONFLICT,
            "org '"
                + org
                + "' asks for dataset_settings "
                + differences(requested, have)
                + " but its profile records otherwise; the settings chosen at onboarding are kept"
                + " (change them per org with provisioner.org-dataset-settings), nothing was"
                + " changed"),
        null,
        null);
  }

  private static String differences(DatasetSettings requested, DatasetSettings have) {
    List<String> out = new ArrayList<>();
    for (Option o : Option.values()) {
      Object want = o.of(requested);
      Object got = o.of(have);
      if (!Objects.equals(want, got)) {
        out.add(
            o.key()
                + "="
                + (want == null ? "none" : o.text(want))
                + " (recorded: "
                + (got == null ? "none" : o.text(got))
                + ")");
      }
    }
    if (!requested.labels().equals(have.labels())) {
      out.add("labels=" + requested.labels() + " (recorded: " + have.labels() + ")");
    }
    return String.join(", ", out);
  }
}
