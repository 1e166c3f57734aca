package dev.orgprovisioner.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.DatasetSettingsRules.Problem;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetSettingsRulesTest {

  private static List<Problem> check(
      Duration table, Duration partition, Duration travel, String kms, Map<String, String> labels) {
    return DatasetSettingsRules.check(new DatasetSettings(table, partition, travel, kms, labels));
  }

  private static List<String> fields(List<Problem> problems) {
    return problems.stream().map(Problem::field).toList();
  }

  @Test
  void sensibleSettings_andNone_areValid() {
    assertThat(
            check(
                Duration.ofDays(90),
                Duration.ofDays(400),
                Duration.ofHours(72),
                "projects/p/locations/eu/keyRings/r/cryptoKeys/k",
                Map.of("cost-center", "cc_42")))
        .isEmpty();
    assertThat(DatasetSettingsRules.check(DatasetSettings.NONE)).isEmpty();
  }

  @Test
  void timeTravel_mustBe48To168HoursInWholeDays() {
    for (long hours : new long[] {48, 72, 96, 120, 144, 168}) {
      assertThat(check(null, null, Duration.ofHours(hours), null, Map.of()))
          .as("%sh", hours)
          .isEmpty();
    }
    for (long hours : new long[] {0, 24, 36, 50, 192}) {
      assertThat(fields(check(null, null, Duration.ofHours(hours), null, Map.of())))
          .as("%sh", hours)
          .containsExactly("max_time_travel_hours");
    }
  }

  @Test
  void expirations_mustBePositive_andATableLiveAnHourAtLeast() {
    assertThat(fields(check(Duration.ZERO, Duration.ofDays(-1), null, null, Map.of())))
        .containsExactly("default_table_expiration_days", "default_partition_expiration_days");
    assertThat(check(Duration.ofMinutes(30), null, null, null, Map.of()))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("one hour"));
    assertThat(check(Duration.ofHours(1), Duration.ofMinutes(1), null, null, Map.of())).isEmpty();
  }

  @Test
  void kmsKey_mustBeAFullResourceName() {
    for (String bad :
        List.of(
            "my-key",
            "projects/p/locations/eu/keyRings/r",
            "projects/p/locations/eu/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1",
            "projects//locations/eu/keyRings/r/cryptoKeys/k")) {
      assertThat(fields(check(null, null, null, bad, Map.of())))
          .as(bad)
          .containsExactly("default_kms_key_name");
    }
  }

  @Test
  void labels_followBigQueryRules_andLeaveOursAlone() {
    assertThat(fields(check(null, null, null, null, Map.of("Cost", "x"))))
        .containsExactly("labels.Cost");
    assertThat(fields(check(null, null, null, null, Map.of("1st", "x"))))
        .containsExactly("labels.1st");
    assertThat(fields(check(null, null, null, null, Map.of("team", "Sales"))))
        .containsExactly("labels.team");
    assertThat(fields(check(null, null, null, null, Map.of("team", "x".repeat(64)))))
        .containsExactly("labels.team");
    assertThat(check(null, null, null, null, Map.of("team", ""))).isEmpty();
    assertThat(fields(check(null, null, null, null, Map.of("managed-by", "me"))))
        .containsExactly("labels.managed-by");
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 62; i++) {
      many.put("k" + i, "v");
    }
    assertThat(fields(check(null, null, null, null, many))).containsExactly("labels");
  }
}
