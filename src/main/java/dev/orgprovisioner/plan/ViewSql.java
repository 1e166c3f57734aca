package dev.orgprovisioner.plan;

/**
 * Compares a view's SQL as the warehouse echoes it with the rendered template, tolerating layout.
 *
 * <p>Normalisation, applied outside quoted text ({@code '...'}, {@code "..."}, {@code `...`}, with
 * backslash escapes) only: comments ({@code -- ...} to the end of the line, {@code / * ... * /})
 * are dropped, every run of whitespace becomes one space, a comma is followed by one space, no
 * space is kept after {@code (} or before {@code )} and {@code ,}, and trailing semicolons and
 * surrounding whitespace are removed. Quoted text, letter case and everything else are kept: {@code
 * 'a b'} and {@code 'a b'}, or {@code x} and {@code X}, stay different, since either may change
 * what the view returns.
 */
public final class ViewSql {

  /** Characters of context shown on each side of the first difference. */
  private static final int CONTEXT = 30;

  private ViewSql() {}

  /** The normalised form of a view's SQL; null stays null. */
  public static String normalise(String sql) {
    if (sql == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(sql.length());
    boolean pendingSpace = false;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        pendingSpace = true;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        pendingSpace = true;
      } else if (Character.isWhitespace(c)) {
        pendingSpace = true;
        i++;
      } else {
        int end = c == '\'' || c == '"' || c == '`' ? quotedEnd(sql, i) : i + 1;
        if (spaceBefore(out, c, pendingSpace)) {
          out.append(' ');
        }
        pendingSpace = false;
        out.append(sql, i, end);
        i = end;
      }
    }
    int end = out.length();
    while (end > 0 && (out.charAt(end - 1) == ';' || out.charAt(end - 1) == ' ')) {
      end--;
    }
    return out.substring(0, end);
  }

  /** Whether two SQL texts are the same after normalisation. */
  public static boolean same(String a, String b) {
    return java.util.Objects.equals(normalise(a), normalise(b));
  }

  /**
   * The normalised texts around their first difference, for a drift report: {@code [expected,
   * observed]}, each at most {@code 2 * CONTEXT} characters, with {@code …} where cut.
   */
  public static String[] firstDifference(String expected, String observed) {
    String a = String.valueOf(normalise(expected));
    String b = String.valueOf(normalise(observed));
    int at = 0;
    while (at < a.length() && at < b.length() && a.charAt(at) == b.charAt(at)) {
      at++;
    }
    return new String[] {excerpt(a, at), excerpt(b, at)};
  }

  private static String excerpt(String s, int at) {
    int from = Math.max(0, at - CONTEXT);
    int to = Math.min(s.length(), at + CONTEXT);
    return (from > 0 ? "…" : "") + s.substring(from, to) + (to < s.length() ? "…" : "");
  }

  /** One space after a comma, none after {@code (} or before {@code )} and {@code ,}. */
  private static boolean spaceBefore(StringBuilder out, char next, boolean hadSpace) {
    if (out.isEmpty() || next == ')' || next == ',') {
      return false;
    }
    char last = out.charAt(out.length() - 1);
    return last != '(' && (hadSpace || last == ',');
  }

  /** The index just past the quoted text opening at {@code start} (or the end of the text). */
  private static int quotedEnd(String sql, int start) {
    char quote = sql.charAt(start);
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return sql.length();
  }
}
