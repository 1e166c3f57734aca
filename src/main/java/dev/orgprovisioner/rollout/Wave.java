package dev.orgprovisioner.rollout;

import java.util.List;

/** One step of a roll-out: named orgs (a canary) or the fleet up to a share. */
public sealed interface Wave {

  /** These orgs (those that exist and are not leaving). */
  record Canary(List<String> orgs) implements Wave {
    public Canary {
      orgs = List.copyOf(orgs);
    }
  }

  /**
   * The fleet up to this share of it (0 < share ≤ 1), counting the orgs of earlier waves: shares
   * grow from wave to wave, and the last wave of a roll-out is always the whole fleet.
   */
  record Share(double upTo) implements Wave {
    public Share {
      if (!(upTo > 0 && upTo <= 1)) {
        throw new IllegalArgumentException("a wave's share must be in (0, 1], was " + upTo);
      }
    }
  }
}
