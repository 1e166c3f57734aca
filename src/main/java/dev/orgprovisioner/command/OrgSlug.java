package dev.orgprovisioner.command;

import java.util.regex.Pattern;

/** A validated organisation slug: the only org text that ever reaches a dataset name or SQL. */
public record OrgSlug(String value) {

  /** The rule every slug must match. */
  public static final String RULE = "^[a-z0-9_]{3,50}$";

  // ECMA-262 semantics, like the JSON Schemas: "acme\n" is not a slug.
  private static final Pattern PATTERN = EcmaRegex.compile(RULE);

  public OrgSlug {
    if (value == null || !EcmaRegex.test(PATTERN, value)) {
      throw new InvalidSlugException(value);
    }
  }

  public static OrgSlug parse(String value) {
    return new OrgSlug(value);
  }

  public static boolean isValid(String value) {
    return EcmaRegex.test(PATTERN, value);
  }

  @Override
  public String toString() {
    return value;
  }

  /** Thrown for a slug that breaks {@link #RULE}; the message never echoes more than 60 chars. */
  public static final class InvalidSlugException extends IllegalArgumentException {
    public InvalidSlugException(String value) {
      super(
          "org slug "
              + (value == null
                  ? "is missing"
                  : "'"
                      + (value.length() > 60 ? value.substring(0, 60) + "…" : value)
                          .replaceAll("[^\\x20-\\x7E]", "?")
                      + "' does not match "
                      + RULE));
    }
  }
}
