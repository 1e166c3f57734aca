package dev.orgprovisioner.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.Rejection;
import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.messaging.CommandPublisher;
import dev.orgprovisioner.messaging.PubSubTransport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ops publish onboard|sync|bootstrap|drift|rotate-key|change-plan}: publishes a well-formed
 * command exactly as the frontend does, after checking it against the same contract the intake
 * enforces.
 */
@Command(
    name = "publish",
    description = "Publish a command to the commands topic.",
    subcommands = {
      PublishCommand.Onboard.class,
      PublishCommand.Sync.class,
      PublishCommand.Bootstrap.class,
      PublishCommand.Drift.class,
      PublishCommand.RotateKey.class,
      PublishCommand.ChangePlan.class,
      PublishLifecycle.Offboard.class,
      PublishLifecycle.Restore.class
    })
final class PublishCommand {

  static final String SOURCE = "//org-provisioner/ops-cli";

  private PublishCommand() {}

  /** What every publish subcommand shares: where to, the idempotency key, the output form. */
  abstract static class Base implements Callable<Integer> {
    @Mixin Connection connection;

    @Option(
        names = "--idempotency-key",
        description = "Idempotency key of the command (default: its generated ce-id).")
    String idempotencyKey;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Spec CommandSpec spec;

    abstract CommandType type();

    /** The org of the command (its ordering key), or null. */
    abstract String org();

    abstract Map<String, Object> data();

    @Override
    public Integer call() {
      Map<String, Object> data = data();
      byte[] bytes;
      try {
        bytes = Output.JSON.writeValueAsBytes(data);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      // The same checks as the intake's, so a typo fails here, naming the field, not in the DLQ.
      CommandDecoder decoder =
          CommandDecoder.fromClasspath(
              PublishCommand.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
      DecodeResult decoded =
          decoder.decode(
              CommandPublisher.attributes(type(), "ops-check", SOURCE, idempotencyKey),
              bytes,
              org());
      if (decoded instanceof DecodeResult.Rejected r) {
        Rejection rejection = r.rejection();
        throw new ParameterException(
            spec.commandLine(),
            "invalid command: " + rejection.field() + ": " + rejection.message());
      }
      String id;
      TraceContext trace = TraceContext.newTrace();
      try (PubSubTransport transport = connection.pubsub();
          CommandPublisher publisher =
              new CommandPublisher(
                  transport, connection.project, connection.commandsTopic, SOURCE)) {
        id = publisher.publish(type(), org(), data, idempotencyKey, trace);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ce_id", id);
        answer.put("ce_type", type().ceType());
        answer.put("org_slug", org());
        answer.put("idempotency_key", idempotencyKey == null ? id : idempotencyKey);
        answer.put("topic", connection.commandsTopic);
        answer.put("trace_id", trace.traceId());
        Output.json(out, answer);
      } else {
        out.printf(
            "published %s%s ce-id %s to %s, trace %s%n",
            type().ceType(),
            org() == null ? "" : " for " + org(),
            id,
            connection.commandsTopic,
            trace.traceId());
        out.flush();
      }
      return 0;
    }
  }

  /** A command about one org: its slug is the ordering key. */
  abstract static class OrgBase extends Base {
    @Option(names = "--org", required = true, description = "The org slug.")
    String org;

    @Override
    String org() {
      return org;
    }
  }

  @Command(
      name = "onboard",
      mixinStandardHelpOptions = true,
      description = "Publish org.onboard.requested.")
  static final class Onboard extends OrgBase {
    @Option(names = "--admin-email", required = true, description = "First administrator.")
    String adminEmail;

    @Option(names = "--company-name", description = "Display name (default: the org slug).")
    String companyName;

    @Option(
        names = "--plan",
        defaultValue = "STARTER",
        description = "STARTER, PROFESSIONAL or SCALE (default ${DEFAULT-VALUE}).")
    String plan;

    @Option(
        names = "--currency",
        defaultValue = "USD",
        description = "ISO 4217 code (default ${DEFAULT-VALUE}).")
    String currency;

    @Option(
        names = "--timezone",
        defaultValue = "UTC",
        description = "IANA time zone (default ${DEFAULT-VALUE}).")
    String timezone;

    @Option(names = "--location", description = "Dataset location (default: the worker's).")
    String location;

    @Option(
        names = "--api-key-sha256",
        description = "SHA-256 (64 lower-case hex digits) of the org's first API key.")
    String apiKeySha256;

    @Option(
        names = "--regenerate-api-key",
        description =
            "If the org exists with the same profile, make --api-key-sha256 its only active key.")
    boolean regenerateApiKey;

    @Option(
        names = "--dry-run",
        description =
            "Only validate against the org's state; the event says what would be created.")
    boolean dryRun;

    @Override
    CommandType type() {
      return CommandType.ONBOARD;
    }

    @Override
    Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("org_slug", org);
      data.put("company_name", companyName == null ? org : companyName);
      data.put("admin_email", adminEmail);
      data.put("subscription_plan", plan);
      data.put("default_currency", currency);
      data.put("default_timezone", timezone);
      if (location != null) {
        data.put("dataset_location", location);
      }
      if (apiKeySha256 != null) {
        data.put("api_key_sha256", apiKeySha256);
      }
      if (regenerateApiKey) {
        data.put("regenerate_api_key_if_exists", true);
      }
      if (dryRun) {
        data.put("dry_run", true);
      }
      return data;
    }
  }

  @Command(
      name = "sync",
      mixinStandardHelpOptions = true,
      description = "Publish org.sync.requested.")
  static final class Sync extends OrgBase {
    @Option(names = "--table", description = "Only this catalog table (repeatable).")
    List<String> tables;

    @Option(names = "--dry-run", description = "Only compute the plan; the event carries it.")
    boolean dryRun;

    @Option(
        names = "--recreate-views",
        description = "Replace every view of the catalog, even up-to-date ones (views: recreate).")
    boolean recreateViews;

    @Override
    CommandType type() {
      return CommandType.SYNC;
    }

    @Override
    Map<String, Object> data() {
      Map<String, Object> options = new LinkedHashMap<>();
      if (tables != null && !tables.isEmpty()) {
        options.put("tables", tables);
      }
      if (recreateViews) {
        options.put("views", "recreate");
      }
      options.put("dry_run", dryRun);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("org_slug", org);
      data.put("options", options);
      return data;
    }
  }

  @Command(
      name = "bootstrap",
      mixinStandardHelpOptions = true,
      description = "Publish central.bootstrap.requested.")
  static final class Bootstrap extends Base {
    @Option(names = "--dry-run", description = "Only compute the plan.")
    boolean dryRun;

    @Override
    CommandType type() {
      return CommandType.BOOTSTRAP;
    }

    @Override
    String org() {
      return null;
    }

    @Override
    Map<String, Object> data() {
      return Map.of("options", Map.of("dry_run", dryRun));
    }
  }

  @Command(
      name = "drift",
      mixinStandardHelpOptions = true,
      description = "Publish drift.check.requested.")
  static final class Drift extends Base {
    @Option(
        names = "--orgs",
        split = ",",
        description = "Check only these orgs (comma-separated; default: all).")
    List<String> orgs;

    @Option(
        names = "--auto-repair",
        negatable = true,
        description = "Queue additive repairs (default: the worker's drift.auto-repair).")
    Boolean autoRepair;

    @Override
    CommandType type() {
      return CommandType.DRIFT_CHECK;
    }

    @Override
    String org() {
      return null;
    }

    @Override
    Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("scope", orgs == null || orgs.isEmpty() ? "all" : orgs);
      if (autoRepair != null) {
        data.put("auto_repair", autoRepair);
      }
      return data;
    }
  }

  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      description = "Publish org.api_key.rotate.requested (the key's SHA-256 only, never the key).")
  static final class RotateKey extends OrgBase {
    @Option(
        names = "--api-key-sha256",
        required = true,
        description = "SHA-256 (64 lower-case hex digits) of the new key.")
    String sha256;

    @Option(
        names = "--keep-previous",
        description = "Leave the org's other keys active (default: revoke them).")
    boolean keepPrevious;

    @Override
    CommandType type() {
      return CommandType.ROTATE_API_KEY;
    }

    @Override
    Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("org_slug", org);
      data.put("api_key_sha256", sha256);
      data.put("revoke_previous", !keepPrevious);
      return data;
    }
  }

  @Command(
      name = "change-plan",
      mixinStandardHelpOptions = true,
      description = "Publish org.plan.change.requested.")
  static final class ChangePlan extends OrgBase {
    @Option(names = "--plan", required = true, description = "STARTER, PROFESSIONAL or SCALE.")
    String plan;

    @Override
    CommandType type() {
      return CommandType.CHANGE_PLAN;
    }

    @Override
    Map<String, Object> data() {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("org_slug", org);
      data.put("subscription_plan", plan);
      return data;
    }
  }
}
