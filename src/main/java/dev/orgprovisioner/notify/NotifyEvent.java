package dev.orgprovisioner.notify;

import java.time.Instant;
import java.util.Map;

/**
 * A provisioning event as the notifier sees it.
 *
 * @param id the event's {@code ce-id} (unique per event; redeliveries keep it)
 * @param orgSlug the org the event is about; empty for platform-wide events
 * @param data the event's JSON data, parsed
 * @param json the event's JSON data as published (sent as-is to webhooks)
 * @param traceparent the event's W3C {@code ce-traceparent} (webhooks get it as {@code
 *     traceparent}), or null
 */
public record NotifyEvent(
    String id,
    String type,
    String source,
    String orgSlug,
    Instant time,
    Map<String, Object> data,
    String json,
    String traceparent) {

  public NotifyEvent {
    orgSlug = orgSlug == null ? "" : orgSlug;
    data = data == null ? Map.of() : data;
  }

  /** An event outside any trace. */
  public NotifyEvent(
      String id,
      String type,
      String source,
      String orgSlug,
      Instant time,
      Map<String, Object> data,
      String json) {
    this(id, type, source, orgSlug, time, data, json, null);
  }

  public Priority priority() {
    return Priority.ofEventType(type);
  }

  /** The org the history rows are filed under: the org, or {@code _platform} when there is none. */
  public String historyOrg() {
    return orgSlug.isEmpty() ? "_platform" : orgSlug;
  }

  /** A data field as text, or empty string. */
  public String text(String field) {
    Object v = data.get(field);
    return v == null ? "" : String.valueOf(v);
  }
}
