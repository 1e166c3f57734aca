package dev.orgprovisioner.cli;

import dev.orgprovisioner.command.CommandType;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The publish verbs of an org's way out and back: offboard and restore. */
final class PublishLifecycle {

  private PublishLifecycle() {}

  @Command(
      name = "offboard",
      mixinStandardHelpOptions = true,
      description =
          "Publish org.offboard.requested: keys and channels off at once, the dataset deleted"
              + " when the grace period ends (org.restore.requested undoes it).")
  static final class Offboard extends PublishCommand.OrgBase {
    @Option(names = "--reason", required = true, description = "Why the org leaves.")
    String reason;

    @Option(
        names = "--grace-days",
        description = "Days until the dataset is deleted (default: the worker's configuration).")
    Integer graceDays;

    @Override
    CommandType type() {
      return CommandType.OFFBOARD;
    }

    @Override
    Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("org_slug", org);
      data.put("reason", reason);
      if (graceDays != null) {
        data.put("grace_days", graceDays);
      }
      return data;
    }
  }

  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      description =
          "Publish org.restore.requested: undo an offboarding, before the deletion or within the"
              + " restore window after it.")
  static final class Restore extends PublishCommand.OrgBase {
    @Override
    CommandType type() {
      return CommandType.RESTORE;
    }

    @Override
    Map<String, Object> data() {
      return Map.of("org_slug", org);
    }
  }
}
