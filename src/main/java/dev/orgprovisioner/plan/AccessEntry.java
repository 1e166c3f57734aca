package dev.orgprovisioner.plan;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One principal's role on a dataset's access list: a user, a group or a service account (by
 * e-mail). Entries of other kinds (special groups, authorized views and datasets) are never ours.
 */
public record AccessEntry(Kind kind, String email, Role role) {

  /** Who the entry names. */
  public enum Kind {
    USER("user"),
    GROUP("group"),
    SERVICE_ACCOUNT("serviceAccount");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }
  }

  /** Dataset roles, as BigQuery's access list names them. */
  public enum Role {
    READER,
    WRITER,
    OWNER
  }

  private static final Pattern EMAIL =
      Pattern.compile("^[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(\\.[A-Za-z0-9-]{1,63})+$");

  public AccessEntry {
    if (kind == null || role == null || email == null || !EMAIL.matcher(email).matches()) {
      throw new IllegalArgumentException("not an access entry: " + kind + " " + email + " " + role);
    }
    email = email.toLowerCase(Locale.ROOT);
  }

  /** {@code user:ann@acme.com} and the like (IAM's member syntax). */
  public String principal() {
    return kind.prefix() + ":" + email;
  }

  /** The domain of the e-mail: what isolation rules check. */
  public String domain() {
    return email.substring(email.indexOf('@') + 1);
  }

  /** Parses IAM's member syntax ({@code group:analysts@acme.com}) and a role name. */
  public static AccessEntry parse(String principal, Role role) {
    int colon = principal == null ? -1 : principal.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "a principal is user:, group: or serviceAccount: followed by an e-mail");
    }
    String prefix = principal.substring(0, colon);
    for (Kind k : Kind.values()) {
      if (k.prefix().equals(prefix)) {
        return new AccessEntry(k, principal.substring(colon + 1), role);
      }
    }
    throw new IllegalArgumentException(
        "a principal is user:, group: or serviceAccount: followed by an e-mail");
  }
}
