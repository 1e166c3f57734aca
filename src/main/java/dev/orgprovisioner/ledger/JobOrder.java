package dev.orgprovisioner.ledger;

import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.NextInLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;

/** The orders every ledger adapter lists jobs in, and the cursor of a page of jobs. */
public final class JobOrder {

  /** Listings: newest first; the id breaks ties so pages never skip or repeat a job. */
  public static final Comparator<Job> NEWEST_FIRST =
      Comparator.comparing(Job::createdAt).thenComparing(Job::id).reversed();

  /** Claims: best priority (1) first, then oldest, then id. */
  public static final Comparator<Job> BEST_FIRST = NextInLine.CLAIM_ORDER;

  private JobOrder() {}

  /** The cursor after {@code last}: its creation time and id, opaque to callers. */
  public static String cursorOf(Job last) {
    return cursorOf(last.createdAt(), last.id());
  }

  static String cursorOf(Instant createdAt, String id) {
    String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** A decoded cursor: the last job of the previous page. */
  public record Cursor(Instant createdAt, String id) {}

  /** Decodes a cursor; a malformed one is the caller's error, named as such. */
  public static Cursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      String[] time = raw.substring(0, bar).split("\\.");
      return new Cursor(
          Instant.ofEpochSecond(Long.parseLong(time[0]), Long.parseLong(time[1])),
          raw.substring(bar + 1));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cursor is not one this API returned", e);
    }
  }

  /** True when {@code job} comes after the cursor in {@link #NEWEST_FIRST} order. */
  public static boolean isAfterCursor(Job job, String cursor) {
    Cursor c = decode(cursor);
    int byTime = job.createdAt().compareTo(c.createdAt());
    return byTime < 0 || (byTime == 0 && job.id().compareTo(c.id()) < 0);
  }
}
