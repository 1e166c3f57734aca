package dev.orgprovisioner.warehouse.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.catalog.FieldType;
import dev.orgprovisioner.warehouse.bigquery.GoogleSqlTypes.ParsedType;
import org.junit.jupiter.api.Test;

/** Parsing of GoogleSQL data_type strings as INFORMATION_SCHEMA prints them. */
class GoogleSqlTypesTest {

  @Test
  void nestedStructAndArrayTypes_areParsedWithModes() {
    ParsedType t =
        GoogleSqlTypes.parse(
            "ARRAY<STRUCT<sku STRING NOT NULL, cost FLOAT64, tags ARRAY<STRING>,"
                + " `from` STRUCT<a INT64 NOT NULL, b NUMERIC(10, 2)>>>");

    assertThat(t.repeated()).isTrue();
    assertThat(t.type()).isEqualTo(FieldType.STRUCT);
    assertThat(t.fields())
        .extracting(
            f -> f.name() + ":" + f.type().type() + ":" + f.notNull() + ":" + f.type().repeated())
        .containsExactly(
            "sku:STRING:true:false",
            "cost:FLOAT64:false:false",
            "tags:STRING:false:true",
            "from:STRUCT:false:false");
    assertThat(t.fields().get(3).type().fields())
        .extracting(f -> f.name() + ":" + f.type().type() + ":" + f.notNull())
        .containsExactly("a:INT64:true", "b:NUMERIC:false");
  }

  @Test
  void parameterisedAndUnknownTypes_areTolerated() {
    assertThat(GoogleSqlTypes.parse("STRING(10)").type()).isEqualTo(FieldType.STRING);
    assertThat(GoogleSqlTypes.parse("BIGNUMERIC(40, 2)").type()).isEqualTo(FieldType.BIGNUMERIC);
    assertThat(GoogleSqlTypes.parse("RANGE<DATE>").type()).isNull();
    assertThat(GoogleSqlTypes.parse("STRUCT<s STRING COLLATE 'und:ci' NOT NULL>").fields())
        .singleElement()
        .satisfies(f -> assertThat(f.notNull()).isTrue());
  }
}
