package dev.orgprovisioner.execution;

import java.util.function.Supplier;

/** A value bound to the current thread for the length of some work, the previous one restored. */
final class ThreadBinding<V> {

  private final ThreadLocal<V> current = new ThreadLocal<>();

  /** Runs {@code work} with {@code value} bound to this thread, then restores what was bound. */
  <T> T under(V value, Supplier<T> work) {
    V previous = current.get();
    current.set(value);
    try {
      return work.get();
    } finally {
      if (previous == null) {
        current.remove();
      } else {
        current.set(previous);
      }
    }
  }

  /** The value bound to this thread, or null. */
  V get() {
    return current.get();
  }
}
