package dev.orgprovisioner.warehouse.bigquery;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This instance's places among BigQuery's concurrent API requests per user: a fair semaphore of its
 * share, each place held from sending a request until its response is read or failed.
 */
final class RequestPermits {

  private final int limit;
  private final Duration wait;
  private final Semaphore places;

  /**
   * @param limit requests in flight at most
   * @param wait longest wait for a place; past it the request fails (transient) instead
   */
  RequestPermits(int limit, Duration wait) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.limit = limit;
    this.wait = wait;
    this.places = new Semaphore(limit, true);
  }

  /** Waits for a place; the returned permit frees it once, however often it is released. */
  Permit take() throws IOException {
    try {
      if (!places.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IOException(
            "no place among the "
                + limit
                + " concurrent BigQuery requests of this instance within "
                + wait.toMillis()
                + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("interrupted waiting for a request");
      io.initCause(e);
      throw io;
    }
    return new Permit();
  }

  /** Requests holding a place now. */
  int inFlight() {
    return limit - places.availablePermits();
  }

  int limit() {
    return limit;
  }

  /** One request's place. */
  final class Permit {
    private final AtomicBoolean held = new AtomicBoolean(true);

    /** Frees the place (the first call only). */
    void release() {
      if (held.compareAndSet(true, false)) {
        places.release();
      }
    }
  }
}
