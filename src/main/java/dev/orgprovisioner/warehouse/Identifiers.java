package dev.orgprovisioner.warehouse;

import java.util.regex.Pattern;

/** Checks names before they are put into SQL or API paths, so no message text can inject any. */
public final class Identifiers {

  private static final Pattern DATASET = Pattern.compile("^[A-Za-z0-9_]{1,1024}$");
  private static final Pattern NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,299}$");

  private Identifiers() {}

  public static String dataset(String name) {
    if (name == null || !DATASET.matcher(name).matches()) {
      throw new WarehouseException(
          WarehouseException.Kind.PERMANENT, "invalid dataset name: " + safe(name));
    }
    return name;
  }

  public static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new WarehouseException(
          WarehouseException.Kind.PERMANENT, "invalid table or column name: " + safe(name));
    }
    return name;
  }

  private static String safe(String s) {
    if (s == null) {
      return "null";
    }
    String cut = s.length() > 60 ? s.substring(0, 60) + "…" : s;
    return "'" + cut.replaceAll("[^\\x20-\\x7E]", "?") + "'";
  }
}
