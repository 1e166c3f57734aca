package dev.orgprovisioner.rollout.port;

import dev.orgprovisioner.rollout.Rollout;
import java.util.List;
import java.util.Optional;

/** Port: roll-outs kept in the ledger, each written with an optimistic lock on its revision. */
public interface RolloutRecords {

  Optional<Rollout> get(String id);

  /** The newest roll-outs first, at most {@code limit}. */
  List<Rollout> list(int limit);

  /** Stores a new roll-out at revision 1; false when one with its id exists. */
  boolean create(Rollout rollout);

  /**
   * Replaces the roll-out if its stored revision is still {@code rollout.revision()}, storing it at
   * the next revision; false when someone wrote it meanwhile (or it does not exist).
   */
  boolean update(Rollout rollout);
}
