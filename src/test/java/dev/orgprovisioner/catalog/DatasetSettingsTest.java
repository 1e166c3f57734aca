package dev.orgprovisioner.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.catalog.DatasetSettings.Option;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Merging settings over each other, and their JSON shape. */
class DatasetSettingsTest {

  private static final String KEY = "projects/p/locations/eu/keyRings/r/cryptoKeys/k";

  @Test
  void override_replacesTheOptionsItSets_andMergesLabelsKeyByKey() {
    DatasetSettings base =
        new DatasetSettings(
            Duration.ofDays(90), null, Duration.ofHours(168), null, Map.of("a", "1", "b", "2"));
    DatasetSettings over =
        new DatasetSettings(null, Duration.ofDays(30), Duration.ofHours(72), KEY, Map.of("b", "3"));

    DatasetSettings merged = base.overriddenBy(over);

    assertThat(merged.defaultTableExpiration()).isEqualTo(Duration.ofDays(90));
    assertThat(merged.defaultPartitionExpiration()).isEqualTo(Duration.ofDays(30));
    assertThat(merged.maxTimeTravel()).isEqualTo(Duration.ofHours(72));
    assertThat(merged.defaultKmsKeyName()).isEqualTo(KEY);
    assertThat(merged.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "3"));
    assertThat(base.overriddenBy(DatasetSettings.NONE)).isEqualTo(base);
  }

  @Test
  void json_roundTripsWithTheCatalogsKeys() {
    DatasetSettings s =
        new DatasetSettings(
            Duration.ofDays(90), Duration.ofDays(400), Duration.ofHours(72), KEY, Map.of("x", "y"));

    String json = DatasetSettingsJson.write(s);

    assertThat(json)
        .isEqualTo(
            "{\"default_table_expiration_days\":90,\"default_partition_expiration_days\":400,"
                + "\"max_time_travel_hours\":72,\"default_kms_key_name\":\""
                + KEY
                + "\",\"labels\":{\"x\":\"y\"}}");
    assertThat(DatasetSettingsJson.read(json)).isEqualTo(s);
    assertThat(DatasetSettingsJson.write(DatasetSettings.NONE)).isNull();
    assertThat(DatasetSettingsJson.read((String) null)).isEqualTo(DatasetSettings.NONE);
  }

  @Test
  void valuesOfTheWrongShape_areReportedByKey() throws Exception {
    List<String> problems = new ArrayList<>();
    DatasetSettings s =
        DatasetSettingsJson.read(
            new ObjectMapper()
                .readTree(
                    "{\"default_table_expiration_days\": 1.5, \"max_time_travel_hours\": \"72\","
                        + " \"default_kms_key_name\": 7, \"labels\": [\"a\"]}"),
            (field, message) -> problems.add(field + " " + message));

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "default_table_expiration_days must be a whole number of days (at most 1000000)",
            "max_time_travel_hours must be a whole number of hours (at most 1000000)",
            "default_kms_key_name must be a string",
            "labels must be a map of label keys to values");
    assertThat(s).isEqualTo(DatasetSettings.NONE);
  }

  @Test
  void aDurationOfNoWholeDays_isNotWrittenAsCatalogJson() {
    DatasetSettings s = new DatasetSettings(Duration.ofHours(36), null, null, null, Map.of());

    assertThatThrownBy(() -> DatasetSettingsJson.write(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("default_table_expiration_days");
  }

  @Test
  void optionText_readsInTheUnitsOfItsKey() {
    assertThat(Option.DEFAULT_TABLE_EXPIRATION.text(Duration.ofDays(3))).isEqualTo("3");
    assertThat(Option.DEFAULT_TABLE_EXPIRATION.text(Duration.ofHours(36))).isEqualTo("1.5");
    assertThat(Option.MAX_TIME_TRAVEL.text(Duration.ofDays(3))).isEqualTo("72");
    assertThat(Option.DEFAULT_KMS_KEY.text(KEY)).isEqualTo(KEY);
  }
}
