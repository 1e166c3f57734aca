package dev.orgprovisioner.ledger.memory;

import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Roll-outs in memory, for tests and the single-process local run; same contract as Firestore. */
public final class InMemoryRollouts implements RolloutRecords {

  private final Map<String, Rollout> rollouts = new LinkedHashMap<>();

  @Override
  public synchronized Optional<Rollout> get(String id) {
    return Optional.ofNullable(rollouts.get(id));
  }

  @Override
  public synchronized List<Rollout> list(int limit) {
    return rollouts.values().stream()
        .sorted(Comparator.comparing(Rollout::createdAt).thenComparing(Rollout::id).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized boolean create(Rollout rollout) {
    if (rollouts.containsKey(rollout.id())) {
      return false;
    }
    rollouts.put(rollout.id(), rollout.withRevision(1));
    return true;
  }

  @Override
  public synchronized boolean update(Rollout rollout) {
    Rollout stored = rollouts.get(rollout.id());
    if (stored == null || stored.revision() != rollout.revision()) {
      return false;
    }
    rollouts.put(rollout.id(), rollout.withRevision(rollout.revision() + 1));
    return true;
  }
}
