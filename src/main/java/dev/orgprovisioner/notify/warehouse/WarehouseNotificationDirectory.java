package dev.orgprovisioner.notify.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.notify.Channel;
import dev.orgprovisioner.notify.ChannelType;
import dev.orgprovisioner.notify.NotificationDirectory;
import dev.orgprovisioner.notify.Priority;
import dev.orgprovisioner.notify.Rule;
import dev.orgprovisioner.warehouse.Warehouse;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Reads an org's rules and channels from the central tables {@code org_notification_rules} and
 * {@code org_notification_channels}, and the admin address from {@code org_profiles}. Only rules of
 * category {@code provisioning} route worker events (the table also holds cost and pipeline
 * alerts). A rule's {@code rule_type} holds comma-separated event-type patterns ({@code *.failed});
 * its {@code conditions} JSON may set {@code min_priority}. A row that cannot be read is skipped
 * with a warning that names the field.
 */
public final class WarehouseNotificationDirectory implements NotificationDirectory {

  private static final Logger LOG =
      Logger.getLogger(WarehouseNotificationDirectory.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String RULES = "org_notification_rules";
  static final String CHANNELS = "org_notification_channels";
  static final String PROFILES = "org_profiles";
  private static final int LIMIT = 1000;

  private final Warehouse warehouse;
  private final String centralDataset;

  public WarehouseNotificationDirectory(Warehouse warehouse, String centralDataset) {
    this.warehouse = warehouse;
    this.centralDataset = centralDataset;
  }

  @Override
  public List<Rule> rules(String org) {
    List<Rule> rules = new ArrayList<>();
    for (Map<String, Object> row : rows(RULES, org, LIMIT)) {
      if (!"provisioning".equalsIgnoreCase(text(row, "rule_category"))) {
        continue;
      }
      try {
        rules.add(rule(org, row));
      } catch (IllegalArgumentException e) {
        LOG.warning(
            "Rule " + text(row, "rule_id") + " of org " + org + " ignored: " + e.getMessage());
      }
    }
    return rules;
  }

  static Rule rule(String org, Map<String, Object> row) {
    String patterns = required(row, "rule_type");
    Priority minPriority = Priority.LOW;
    String conditions = text(row, "conditions");
    if (conditions != null && !conditions.isBlank()) {
      JsonNode node;
      try {
        node = JSON.readTree(conditions);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("conditions: not valid JSON");
      }
      if (node.hasNonNull("min_priority")) {
        minPriority = Priority.parse(node.get("min_priority").asText(), "conditions.min_priority");
      }
    }
    Object cooldown = row.get("cooldown_minutes");
    return new Rule(
        required(row, "rule_id"),
        org,
        text(row, "name"),
        Boolean.TRUE.equals(row.get("is_active")),
        Priority.parse(required(row, "priority"), "priority"),
        Arrays.stream(patterns.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList(),
        minPriority,
        strings(row.get("notify_channel_ids")),
        cooldown == null ? null : Duration.ofMinutes(((Number) cooldown).longValue()));
  }

  @Override
  public List<Channel> channels(String org) {
    List<Channel> channels = new ArrayList<>();
    for (Map<String, Object> row : rows(CHANNELS, org, LIMIT)) {
      try {
        channels.add(channel(org, row));
      } catch (IllegalArgumentException e) {
        LOG.warning(
            "Channel "
                + text(row, "channel_id")
                + " of org "
                + org
                + " ignored: "
                + e.getMessage());
      }
    }
    return channels;
  }

  static Channel channel(String org, Map<String, Object> row) {
    ChannelType type = ChannelType.parse(required(row, "channel_type"), "channel_type");
    return new Channel(
        required(row, "channel_id"),
        org,
        type,
        text(row, "name"),
        Boolean.TRUE.equals(row.get("is_active")),
        strings(row.get("email_recipients")),
        strings(row.get("email_cc_recipients")),
        text(row, "email_subject_prefix"),
        type == ChannelType.SLACK
            ? text(row, "slack_webhook_url_encrypted")
            : text(row, "webhook_url_encrypted"),
        text(row, "webhook_headers_encrypted"),
        text(row, "slack_channel"),
        strings(row.get("slack_mention_users")));
  }

  @Override
  public Optional<String> adminEmail(String org) {
    return rows(PROFILES, org, 1).stream()
        .map(row -> text(row, "admin_email"))
        .filter(v -> v != null && !v.isBlank())
        .findFirst();
  }

  /** The org's rows; none while the central dataset or table does not exist yet. */
  private List<Map<String, Object>> rows(String table, String org, int limit) {
    try {
      return warehouse.selectRows(centralDataset, table, Map.of("org_slug", org), limit);
    } catch (WarehouseException e) {
      if (e.kind() == WarehouseException.Kind.NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
  }

  private static String text(Map<String, Object> row, String column) {
    Object v = row.get(column);
    return v == null ? null : v.toString();
  }

  private static String required(Map<String, Object> row, String column) {
    String v = text(row, column);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(column + ": missing");
    }
    return v.trim();
  }

  /** A REPEATED STRING column as a list, whatever the engine hands back. */
  static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    Object[] items;
    if (value instanceof java.sql.Array array) {
      try {
        items = (Object[]) array.getArray();
      } catch (java.sql.SQLException e) {
        throw new IllegalArgumentException("array column unreadable: " + e.getMessage());
      }
    } else if (value instanceof Object[] array) {
      items = array;
    } else if (value instanceof java.util.Collection<?> c) {
      items = c.toArray();
    } else {
      items = new Object[] {value};
    }
    return Arrays.stream(items).filter(o -> o != null).map(Object::toString).toList();
  }
}
