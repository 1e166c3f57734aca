package dev.orgprovisioner.warehouse;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** DML slots in this process's memory: for one instance alone and for tests of several. */
public final class LocalDmlSlots implements DmlSlots {

  private final Map<String, Map<Integer, Slot>> tables = new HashMap<>();

  @Override
  public synchronized Optional<Slot> tryTake(String table, int slots, Duration lease, Instant now) {
    Map<Integer, Slot> held = tables.computeIfAbsent(table, t -> new HashMap<>());
    for (int i = 0; i < slots; i++) {
      Slot current = held.get(i);
      if (current == null || !current.expiresAt().isAfter(now)) {
        Slot taken = new Slot(table, i, UUID.randomUUID().toString(), now.plus(lease));
        held.put(i, taken);
        return Optional.of(taken);
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized void release(Slot slot) {
    Map<Integer, Slot> held = tables.get(slot.table());
    if (held != null && slot.equals(held.get(slot.index()))) {
      held.remove(slot.index());
    }
  }
}
