package dev.orgprovisioner.catalog;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders view templates. Only two kinds of placeholder exist: {@code {{ref:scope.table}}} and
 * {@code {{org_slug}}}; identifiers come from the catalog and the slug is validated before it gets
 * here, so no raw message text ever reaches SQL.
 */
public final class ViewTemplate {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
  private static final Pattern REF =
      Pattern.compile("ref:(central|org)\\.([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern SAFE_SLUG = Pattern.compile("^[a-z0-9_]{3,50}$");

  private ViewTemplate() {}

  /** The catalog tables a template references. */
  public static Set<TableRef> references(String template) {
    Set<TableRef> refs = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      Matcher ref = REF.matcher(m.group(1));
      if (ref.matches()) {
        refs.add(new TableRef(Scope.valueOf(ref.group(1).toUpperCase(Locale.ROOT)), ref.group(2)));
      }
    }
    return refs;
  }

  /** Placeholders that are neither a table reference nor the org slug. */
  public static Set<String> unknownPlaceholders(String template) {
    Set<String> unknown = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      String body = m.group(1);
      if (!body.equals("org_slug") && !REF.matcher(body).matches()) {
        unknown.add(body);
      }
    }
    return unknown;
  }

  /**
   * Renders a template.
   *
   * @param qualify turns a table reference into the engine's fully qualified name
   * @param orgSlug the org, already validated; rendered as a string literal
   */
  public static String render(String template, Function<TableRef, String> qualify, String orgSlug) {
    if (orgSlug != null && !SAFE_SLUG.matcher(orgSlug).matches()) {
      throw new IllegalArgumentException("org slug is not valid: refusing to render it into SQL");
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String body = m.group(1);
      String replacement;
      if (body.equals("org_slug")) {
        if (orgSlug == null) {
          throw new IllegalArgumentException("template needs an org slug");
        }
        replacement = "'" + orgSlug + "'";
      } else {
        Matcher ref = REF.matcher(body);
        if (!ref.matches()) {
          throw new IllegalArgumentException("unknown placeholder {{" + body + "}}");
        }
        replacement =
            qualify.apply(
                new TableRef(Scope.valueOf(ref.group(1).toUpperCase(Locale.ROOT)), ref.group(2)));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
