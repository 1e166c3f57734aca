package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.PolicyTags;
import dev.orgprovisioner.catalog.Column;
import dev.orgprovisioner.catalog.FieldMode;
import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.plan.PlanStep.ColumnAddition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Schema edits keep everything the catalog does not model and are idempotent. */
class BigQuerySchemasTest {

  private final Field tagged =
      Field.newBuilder("email", LegacySQLTypeName.STRING)
          .setMode(Field.Mode.REQUIRED)
          .setPolicyTags(
              PolicyTags.newBuilder()
                  .setNames(List.of("projects/p/taxonomies/1/policyTags/2"))
                  .build())
          .build();
  private final List<Field> current =
      List.of(
          Field.newBuilder("id", LegacySQLTypeName.STRING).setMode(Field.Mode.REQUIRED).build(),
          Field.newBuilder("contact", LegacySQLTypeName.RECORD, FieldList.of(tagged))
              .setMode(Field.Mode.NULLABLE)
              .build());

  @Test
  void additions_goIntoTheirRecord_andKeepPolicyTags() {
    BigQuerySchemas.Edit e =
        BigQuerySchemas.addColumns(
            current,
            List.of(
                new ColumnAddition(
                    "", Column.of("note", FieldType.STRING, FieldMode.NULLABLE, "n")),
                new ColumnAddition(
                    "CONTACT", Column.of("phone", FieldType.STRING, FieldMode.NULLABLE, "p"))));

    assertThat(e.changed()).isTrue();
    assertThat(e.fields()).extracting(Field::getName).containsExactly("id", "contact", "note");
    FieldList contact = e.fields().get(1).getSubFields();
    assertThat(contact).extracting(Field::getName).containsExactly("email", "phone");
    assertThat(contact.get("email").getPolicyTags()).isEqualTo(tagged.getPolicyTags());
  }

  @Test
  void additionsAlreadyPresent_changeNothing() {
    BigQuerySchemas.Edit e =
        BigQuerySchemas.addColumns(
            current,
            List.of(
                new ColumnAddition(
                    "contact", Column.of("EMAIL", FieldType.STRING, FieldMode.NULLABLE, "e"))));

    assertThat(e.changed()).isFalse();
    assertThat(e.fields()).isEqualTo(current);
  }

  @Test
  void additionIntoAMissingRecord_isRefused() {
    assertThatThrownBy(
            () ->
                BigQuerySchemas.addColumns(
                    current,
                    List.of(
                        new ColumnAddition(
                            "nope", Column.of("x", FieldType.STRING, FieldMode.NULLABLE, "x")))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void relax_setsNestedModesToNullable_once() {
    BigQuerySchemas.Edit e = BigQuerySchemas.relax(current, List.of("id", "contact.email"));

    assertThat(e.changed()).isTrue();
    assertThat(e.fields().get(0).getMode()).isEqualTo(Field.Mode.NULLABLE);
    assertThat(e.fields().get(1).getSubFields().get(0).getMode()).isEqualTo(Field.Mode.NULLABLE);
    assertThat(BigQuerySchemas.relax(e.fields(), List.of("id")).changed()).isFalse();
  }

  @Test
  void describe_copiesDeclaredDescriptionsAtEveryDepth() {
    List<Column> declared =
        List.of(
            Column.of("id", FieldType.STRING, FieldMode.REQUIRED, "The id."),
            new Column(
                "contact",
                FieldType.STRUCT,
                FieldMode.NULLABLE,
                "Contact.",
                List.of(Column.of("email", FieldType.STRING, FieldMode.REQUIRED, "E-mail."))));

    BigQuerySchemas.Edit e = BigQuerySchemas.describe(current, declared);

    assertThat(e.fields().get(0).getDescription()).isEqualTo("The id.");
    assertThat(e.fields().get(1).getDescription()).isEqualTo("Contact.");
    assertThat(e.fields().get(1).getSubFields().get(0).getDescription()).isEqualTo("E-mail.");
    assertThat(BigQuerySchemas.describe(e.fields(), declared).changed()).isFalse();
  }
}
