package dev.orgprovisioner.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps an org's e-mail channels to its own people: every recipient must be a plain address in one
 * of the org's allowed domains (its admin's, plus any the platform configures for it).
 */
public final class RecipientDomains {

  // No spaces, control characters, angle brackets or commas: one address, nothing a header could
  // be broken with.
  private static final Pattern ADDRESS =
      Pattern.compile("[^@\\s\\p{Cntrl}<>,;\"]+@([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)");

  private RecipientDomains() {}

  /** The lower-case domain of a plain address, if it is one. */
  public static Optional<String> domainOf(String address) {
    Matcher m = ADDRESS.matcher(address == null ? "" : address);
    return m.matches() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /** Why the recipients may not be sent to, or empty when they all may. */
  static Optional<String> refusal(
      String channelId, String org, List<String> allowed, List<String> to, List<String> cc) {
    List<String> domains =
        allowed.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).distinct().toList();
    List<String> all = new ArrayList<>(to);
    all.addAll(cc);
    for (String recipient : all) {
      Optional<String> domain = domainOf(recipient);
      if (domain.isEmpty()) {
        return Optional.of(
            "channel " + channelId + " has a recipient that is not a plain e-mail address");
      }
      if (!domains.contains(domain.get())) {
        return Optional.of(
            "channel "
                + channelId
                + " of org "
                + org
                + " sends to the domain "
                + domain.get()
                + ", outside the org's allowed domains "
                + domains
                + " (its admin's domain and notify.recipient-domains."
                + org
                + ")");
      }
    }
    return Optional.empty();
  }
}
