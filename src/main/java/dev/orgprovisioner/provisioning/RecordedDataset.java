package dev.orgprovisioner.provisioning;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.catalog.DatasetSettingsJson;
import java.util.Map;

/**
 * What an org's profile records about its dataset, chosen at onboarding and kept for every later
 * plan, sync and re-creation: its location and its dataset settings.
 *
 * @param location null when none is recorded (profiles written before it was)
 * @param settings the settings the onboarding command chose; {@link DatasetSettings#NONE} if none
 */
public record RecordedDataset(String location, DatasetSettings settings) {

  /** The profile column holding the onboarding's dataset settings (JSON). */
  public static final String SETTINGS_COLUMN = "dataset_settings";

  /** Nothing recorded: an existing dataset stays where it is, the configured settings apply. */
  public static final RecordedDataset NONE = new RecordedDataset(null, DatasetSettings.NONE);

  public RecordedDataset {
    settings = settings == null ? DatasetSettings.NONE : settings;
  }

  /** What a profile row records. */
  public static RecordedDataset of(Map<String, Object> profile) {
    Object settings = profile.get(SETTINGS_COLUMN);
    return new RecordedDataset(
        ProvisioningService.recordedLocation(profile),
        settings == null ? DatasetSettings.NONE : DatasetSettingsJson.read(settings.toString()));
  }

  public RecordedDataset withLocation(String l) {
    return new RecordedDataset(l, settings);
  }
}
