package dev.orgprovisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EcmaRegexTest {

  private static final Pattern SLUG = EcmaRegex.compile(OrgSlug.RULE);

  @ParameterizedTest(name = "acme{0}")
  @ValueSource(
      strings = {"\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085", " ", "\t", "\u00A0", "\uFEFF"})
  void dollar_doesNotMatchBeforeATrailingLineTerminatorOrSpace(String ending) {
    assertThat(EcmaRegex.test(SLUG, "acme" + ending)).isFalse();
    assertThat(OrgSlug.isValid("acme" + ending)).isFalse();
  }

  @Test
  void javasDollar_wouldAcceptATrailingNewline_ecmasDoesNot() {
    assertThat(Pattern.compile("^[a-z]{3,50}$").matcher("acme\n").find()).isTrue();
    assertThat(EcmaRegex.test(EcmaRegex.compile("^[a-z]{3,50}$"), "acme\n")).isFalse();
  }

  @Test
  void dot_excludesEcmaLineTerminatorsOnly() {
    Pattern dot = EcmaRegex.compile("^a.b$");
    assertThat(EcmaRegex.test(dot, "a\u0085b")).as("NEL is no ECMA line terminator").isTrue();
    assertThat(EcmaRegex.test(dot, "a\nb")).isFalse();
    assertThat(EcmaRegex.test(dot, "a\rb")).isFalse();
    assertThat(EcmaRegex.test(dot, "a\u2028b")).isFalse();
    assertThat(EcmaRegex.test(dot, "a\u2029b")).isFalse();
  }

  @Test
  void whiteSpaceClass_isEcmas() {
    Pattern space = EcmaRegex.compile("^\\s$");
    assertThat(EcmaRegex.test(space, "\u00A0")).isTrue();
    assertThat(EcmaRegex.test(space, "\uFEFF")).isTrue();
    assertThat(EcmaRegex.test(space, "\u2028")).isTrue();
    assertThat(EcmaRegex.test(space, "\u0085")).as("NEL is not ECMA white space").isFalse();
    assertThat(EcmaRegex.test(EcmaRegex.compile("^[\\S]+$"), "ab\u00A0")).isFalse();
  }

  @Test
  void unanchoredPattern_searchesLikeRegExpTest() {
    assertThat(EcmaRegex.test(EcmaRegex.compile("b+"), "abbbc")).isTrue();
    assertThat(EcmaRegex.test(EcmaRegex.compile("^b"), "abc")).isFalse();
  }

  @Test
  void classSyntaxOfJava_isLiteralAsInEcma() {
    assertThat(EcmaRegex.test(EcmaRegex.compile("^[a[]$"), "[")).isTrue();
    assertThat(EcmaRegex.test(EcmaRegex.compile("^[a&&b]$"), "&")).isTrue();
    assertThat(EcmaRegex.test(EcmaRegex.compile("^[^]$"), "\n")).isTrue();
    assertThat(EcmaRegex.test(EcmaRegex.compile("[]"), "anything")).isFalse();
    assertThat(EcmaRegex.test(EcmaRegex.compile("^\\d{3}$"), "\u0661\u0662\u0663")).isFalse();
  }
}
