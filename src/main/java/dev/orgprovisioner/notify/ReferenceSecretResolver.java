package dev.orgprovisioner.notify;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves {@code env:NAME} references through a lookup (the environment, then configuration, in
 * the application). The platform's own channels may name any key; an org's channels only names in
 * its {@link TenantNamespace}. Plain values are refused: a URL or secret stored in clear in a table
 * would leak through every reader of that table.
 */
public final class ReferenceSecretResolver implements SecretResolver {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]{0,200}");

  private final Function<String, Optional<String>> lookup;

  public ReferenceSecretResolver(Function<String, Optional<String>> lookup) {
    this.lookup = lookup;
  }

  @Override
  public Optional<String> resolve(String org, String reference) {
    String name;
    if (org == null || org.isEmpty()) {
      String ref = reference.trim();
      if (!ref.startsWith("env:") || !NAME.matcher(ref.substring(4)).matches()) {
        throw new IllegalArgumentException(
            "not a secret reference (expected env:NAME; clear-text values are refused)");
      }
      name = ref.substring(4);
    } else {
      name = TenantNamespace.variable(org, reference);
    }
    return lookup.apply(name).filter(v -> !v.isBlank());
  }
}
