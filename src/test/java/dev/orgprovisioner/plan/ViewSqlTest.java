package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViewSqlTest {

  @Test
  void whitespaceRuns_collapseToOneSpace_andTheEndsAreTrimmed() {
    assertThat(ViewSql.normalise("  SELECT\n\ta   AS b\r\n  FROM t \n"))
        .isEqualTo("SELECT a AS b FROM t");
  }

  @Test
  void trailingSemicolons_areDropped() {
    assertThat(ViewSql.normalise("SELECT 1 ;\n")).isEqualTo("SELECT 1");
    assertThat(ViewSql.normalise("SELECT 1;;")).isEqualTo("SELECT 1");
  }

  @Test
  void comments_areDropped() {
    assertThat(ViewSql.normalise("-- why\nSELECT a -- the id\nFROM t /* all\n rows */ WHERE x"))
        .isEqualTo("SELECT a FROM t WHERE x");
  }

  @Test
  void spacingAroundParenthesesAndCommas_isTolerated() {
    assertThat(ViewSql.normalise("SELECT f( a ,b ) FROM t"))
        .isEqualTo(ViewSql.normalise("SELECT f(a, b) FROM t"))
        .isEqualTo("SELECT f(a, b) FROM t");
  }

  @Test
  void quotedText_isKeptAsWritten() {
    assertThat(ViewSql.normalise("SELECT 'a  b -- c', `x  y`, \"p ;\" FROM t"))
        .isEqualTo("SELECT 'a  b -- c', `x  y`, \"p ;\" FROM t");
    assertThat(ViewSql.same("SELECT 'a  b'", "SELECT 'a b'")).isFalse();
    assertThat(ViewSql.normalise("SELECT 'it\\'s  ok' AS s")).isEqualTo("SELECT 'it\\'s  ok' AS s");
  }

  @Test
  void letterCase_andChangedConditions_areDifferences() {
    assertThat(ViewSql.same("SELECT a FROM t", "select a from t")).isFalse();
    assertThat(ViewSql.same("SELECT a FROM t WHERE x = 1", "SELECT a FROM t WHERE x = 1 OR TRUE"))
        .isFalse();
  }

  @Test
  void theTemplateAsBigQueryEchoesIt_isTheSame() {
    String sent =
        "-- The org's events.\nSELECT e.kind AS kind\nFROM `p.d.t` AS e\nWHERE e.org = 'acme'\n";

    assertThat(ViewSql.same(sent, sent.strip() + ";")).isTrue();
    assertThat(ViewSql.same(null, null)).isTrue();
    assertThat(ViewSql.same(sent, null)).isFalse();
  }

  @Test
  void firstDifference_showsBothTextsAroundWhereTheyPart() {
    String[] where =
        ViewSql.firstDifference(
            "SELECT a FROM t WHERE org = 'acme'", "SELECT a FROM t WHERE org = 'acme' OR TRUE");

    assertThat(where[0]).isEqualTo("…CT a FROM t WHERE org = 'acme'");
    assertThat(where[1]).isEqualTo("…CT a FROM t WHERE org = 'acme' OR TRUE");
  }
}
