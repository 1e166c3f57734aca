package dev.orgprovisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.command.DecodeResult.Accepted;
import dev.orgprovisioner.command.DecodeResult.Rejected;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The onboarding command's optional dataset_settings: decoded, or rejected naming the field. */
class OnboardDatasetSettingsDecoderTest {

  private static final String KEY = "projects/p/locations/eu/keyRings/r/cryptoKeys/k";

  private final CommandDecoder decoder =
      CommandDecoder.fromClasspath(
          getClass().getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  private DecodeResult decode(Object settings) {
    Map<String, Object> data = MalformedCommands.onboardData("acme");
    data.put("dataset_settings", settings);
    return decoder.decode(
        MalformedCommands.onboardAttributes("cmd-settings"), MalformedCommands.json(data), "acme");
  }

  @Test
  void everySetting_isDecodedIntoTheCommand() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("default_table_expiration_days", 90);
    settings.put("default_partition_expiration_days", 400);
    settings.put("max_time_travel_hours", 72);
    settings.put("default_kms_key_name", KEY);
    settings.put("labels", Map.of("cost-center", "cc_42"));

    assertThat(decode(settings))
        .isInstanceOfSatisfying(
            Accepted.class,
            a ->
                assertThat(((Command.Onboard) a.envelope().command()).datasetSettings())
                    .isEqualTo(
                        new DatasetSettings(
                            Duration.ofDays(90),
                            Duration.ofDays(400),
                            Duration.ofHours(72),
                            KEY,
                            Map.of("cost-center", "cc_42"))));
  }

  @Test
  void anOnboardingWithoutSettings_choosesNone() {
    DecodeResult result =
        decoder.decode(
            MalformedCommands.onboardAttributes("cmd-none"),
            MalformedCommands.json(MalformedCommands.onboardData("acme")),
            "acme");

    assertThat(((Accepted) result).envelope().command())
        .isInstanceOfSatisfying(
            Command.Onboard.class,
            o -> assertThat(o.datasetSettings()).isEqualTo(DatasetSettings.NONE));
  }

  static List<Arguments> badSettings() {
    return List.of(
        Arguments.of(
            Map.of("max_time_travel_hours", 36),
            RejectionCode.INVALID_VALUE,
            "data.dataset_settings.max_time_travel_hours"),
        Arguments.of(
            Map.of("max_time_travel_hours", 72.5),
            RejectionCode.WRONG_TYPE,
            "data.dataset_settings.max_time_travel_hours"),
        Arguments.of(
            Map.of("default_table_expiration_days", 0),
            RejectionCode.INVALID_VALUE,
            "data.dataset_settings.default_table_expiration_days"),
        Arguments.of(
            Map.of("default_partition_expiration_days", -3),
            RejectionCode.INVALID_VALUE,
            "data.dataset_settings.default_partition_expiration_days"),
        Arguments.of(
            Map.of("default_partition_expiration_days", "30"),
            RejectionCode.WRONG_TYPE,
            "data.dataset_settings.default_partition_expiration_days"),
        Arguments.of(
            Map.of("default_kms_key_name", "my-key"),
            RejectionCode.INVALID_VALUE,
            "data.dataset_settings.default_kms_key_name"),
        Arguments.of(
            Map.of("labels", Map.of("cost-center", "Sales Team")),
            RejectionCode.INVALID_VALUE,
            "data.dataset_settings.labels.cost-center"),
        Arguments.of(
            Map.of("labels", Map.of("managed-by", "me")),
            RejectionCode.INVALID_VALUE,
            "data.dataset_settings.labels"),
        Arguments.of(
            Map.of("retention", 7), RejectionCode.UNKNOWN_FIELD, "data.dataset_settings.retention"),
        Arguments.of("168h", RejectionCode.WRONG_TYPE, "data.dataset_settings"));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @MethodSource("badSettings")
  void badSetting_isRejectedNamingItsField(Object settings, RejectionCode code, String field) {
    assertThat(decode(settings))
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.rejection().code()).isEqualTo(code);
              assertThat(r.rejection().field()).isEqualTo(field);
              assertThat(r.rejection().message()).contains(field);
            });
  }
}
