package dev.orgprovisioner.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orgprovisioner.plan.AccessEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A command's {@code access} list: principals in IAM's member syntax with a reader or writer role.
 */
final class AccessGrantsJson {

  private AccessGrantsJson() {}

  /** The entries; null when the command has no {@code access} (absent or null). */
  static List<AccessEntry> read(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    List<AccessEntry> out = new ArrayList<>();
    for (JsonNode n : node) {
      AccessEntry e = entry(n);
      if (!out.contains(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** What the schema cannot say about the entries (their e-mail), or null when all are valid. */
  static Rejection check(JsonNode node) {
    if (node == null || !node.isArray()) {
      return null;
    }
    for (int i = 0; i < node.size(); i++) {
      try {
        entry(node.get(i));
      } catch (IllegalArgumentException e) {
        String field = "data.access[" + i + "].principal";
        return new Rejection(
            RejectionCode.INVALID_VALUE,
            field,
            field + " must be user:, group: or serviceAccount: followed by an e-mail address");
      }
    }
    return null;
  }

  private static AccessEntry entry(JsonNode n) {
    return AccessEntry.parse(
        n.path("principal").asText(),
        AccessEntry.Role.valueOf(n.path("role").asText().toUpperCase(Locale.ROOT)));
  }
}
