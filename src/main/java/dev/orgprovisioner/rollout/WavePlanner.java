package dev.orgprovisioner.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Chooses a wave's orgs, deterministically: the fleet in the order of a hash of the roll-out id and
 * the slug (so every roll-out samples the fleet differently, and a resumed one the same way).
 */
public final class WavePlanner {

  private WavePlanner() {}

  /**
   * The orgs of wave {@code index}: a canary's listed orgs that are in the fleet, or the next orgs
   * in hash order until the wave's share of the fleet is reached, counting {@code earlier} (the
   * orgs of the waves before).
   */
  public static List<String> orgsOf(
      RolloutSpec spec, int index, Collection<String> fleet, Set<String> earlier) {
    Wave wave = spec.waves().get(index);
    if (wave instanceof Wave.Canary canary) {
      return canary.orgs().stream()
          .filter(fleet::contains)
          .filter(o -> !earlier.contains(o))
          .distinct()
          .toList();
    }
    double share = ((Wave.Share) wave).upTo();
    long inFleetBefore = fleet.stream().filter(earlier::contains).count();
    long target = (long) Math.ceil(share * fleet.size() - 1e-9);
    List<String> chosen = new ArrayList<>();
    for (String org : ordered(spec.id(), fleet)) {
      if (inFleetBefore + chosen.size() >= target) {
        break;
      }
      if (!earlier.contains(org)) {
        chosen.add(org);
      }
    }
    return chosen;
  }

  /** The fleet in this roll-out's order. */
  static List<String> ordered(String rolloutId, Collection<String> fleet) {
    return fleet.stream()
        .distinct()
        .sorted(Comparator.comparing((String org) -> rank(rolloutId, org)).thenComparing(o -> o))
        .toList();
  }

  private static String rank(String rolloutId, String org) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((rolloutId + "|" + org).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
