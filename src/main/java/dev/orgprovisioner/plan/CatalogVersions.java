package dev.orgprovisioner.plan;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The order of catalog versions ({@code schema-version} labels): natural order, so digit runs
 * compare as numbers ("10" after "9", "2-rc1" before "2-rc2"), and everything else as text.
 */
public final class CatalogVersions {

  /** Natural order of label-safe version strings. */
  public static final Comparator<String> ORDER = CatalogVersions::compare;

  private CatalogVersions() {}

  /** The catalog version a dataset, table or view was last synced to, from its labels. */
  public static Optional<String> of(Map<String, String> labels) {
    String v = labels == null ? null : labels.get(DesiredDataset.SCHEMA_VERSION);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
  }

  /** Whether {@code labels} carry a catalog version newer than {@code ours}. */
  public static boolean newerThan(Map<String, String> labels, String ours) {
    return of(labels).filter(v -> compare(v, ours) > 0).isPresent();
  }

  /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (Character.isDigit(x) && Character.isDigit(y)) {
        int ei = digitsEnd(a, i);
        int ej = digitsEnd(b, j);
        int c = compareNumbers(a.substring(i, ei), b.substring(j, ej));
        if (c != 0) {
          return c;
        }
        i = ei;
        j = ej;
      } else {
        if (x != y) {
          return Character.compare(x, y);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static int digitsEnd(String s, int from) {
    int k = from;
    while (k < s.length() && Character.isDigit(s.charAt(k))) {
      k++;
    }
    return k;
  }

  /** Compares digit runs by value without parsing, so any length works ("007" equals "7"). */
  private static int compareNumbers(String x, String y) {
    String a = x.replaceFirst("^0+(?=.)", "");
    String b = y.replaceFirst("^0+(?=.)", "");
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }
}
