package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.PartitionType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing of INFORMATION_SCHEMA option literals and PARTITION BY clauses. */
class OptionValuesTest {

  @Test
  void optionLiterals_areUnescaped() {
    assertThat(OptionValues.stringLiteral("\"The org's \\\"events\\\".\\nLine two\""))
        .isEqualTo("The org's \"events\".\nLine two");
    assertThat(OptionValues.stringLiteral("'single'")).isEqualTo("single");
    assertThat(OptionValues.stringLiteral("\"\"\"triple \"quoted\" text\"\"\""))
        .isEqualTo("triple \"quoted\" text");
    assertThat(OptionValues.stringLiteral("\"caf\\u00e9\"")).isEqualTo("café");
    assertThat(OptionValues.stringLiteral(null)).isNull();
  }

  @Test
  void labels_areParsedFromTheirStructArray() {
    assertThat(
            OptionValues.labels(
                "[STRUCT(\"managed-by\", \"org-provisioner\"), STRUCT(\"org\", \"acme\")]"))
        .containsExactly(Map.entry("managed-by", "org-provisioner"), Map.entry("org", "acme"));
    assertThat(OptionValues.labels(null)).isEmpty();
  }

  @Test
  void partitionGranularity_isReadFromTheDdlClause() {
    assertThat(OptionValues.partitionType("PARTITION BY usage_date")).isEqualTo(PartitionType.DAY);
    assertThat(OptionValues.partitionType("PARTITION BY DATE(created_at)"))
        .isEqualTo(PartitionType.DAY);
    assertThat(OptionValues.partitionType("PARTITION BY TIMESTAMP_TRUNC(ts, HOUR)"))
        .isEqualTo(PartitionType.HOUR);
    assertThat(OptionValues.partitionType("PARTITION BY DATE_TRUNC(d, MONTH)"))
        .isEqualTo(PartitionType.MONTH);
    assertThat(OptionValues.expirationDays("400.0")).isEqualTo(400L);
    assertThat(OptionValues.expirationDays(null)).isNull();
  }
}
