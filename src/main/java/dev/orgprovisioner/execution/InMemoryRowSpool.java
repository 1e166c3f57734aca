package dev.orgprovisioner.execution;

import dev.orgprovisioner.execution.port.RowSpool;
import dev.orgprovisioner.execution.port.SpooledRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link RowSpool} in memory: for tests and tools; it is durable only while the JVM lives. */
public final class InMemoryRowSpool implements RowSpool {

  private record Entry(SpooledRow row, boolean parked) {}

  private final Map<String, Entry> rows = new LinkedHashMap<>();

  @Override
  public synchronized void append(List<SpooledRow> batch) {
    batch.forEach(r -> rows.put(r.spoolKey(), new Entry(r, false)));
  }

  @Override
  public synchronized List<SpooledRow> pending(int limit, boolean parked) {
    List<SpooledRow> out = new ArrayList<>();
    for (Entry e : rows.values()) {
      if (out.size() >= limit) {
        break;
      }
      if (e.parked() == parked) {
        out.add(e.row());
      }
    }
    return out;
  }

  @Override
  public synchronized void park(Collection<SpooledRow> batch, String reason) {
    batch.forEach(r -> rows.computeIfPresent(r.spoolKey(), (k, e) -> new Entry(e.row(), true)));
  }

  @Override
  public synchronized void delete(Collection<SpooledRow> batch) {
    batch.forEach(r -> rows.remove(r.spoolKey()));
  }

  @Override
  public synchronized long count() {
    return rows.size();
  }
}
