package dev.orgprovisioner.command;

import dev.orgprovisioner.catalog.DatasetSettings;
import dev.orgprovisioner.plan.AccessEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A validated command: what the worker was asked to do. */
public sealed interface Command {

  CommandType type();

  /** The org concerned, for per-org commands. */
  Optional<OrgSlug> org();

  /**
   * Onboard a new organisation: its dataset, tables, views and central rows.
   *
   * @param datasetSettings the dataset settings the org chose, over the catalog's and the
   *     configured defaults; {@link DatasetSettings#NONE} when none
   * @param regenerateApiKey when the org already exists with the same profile: make {@code
   *     apiKeySha256} its only active key (a rotation), instead of adding it beside the others
   * @param dryRun only validate against the org's state and report what would be created; nothing
   *     is written
   * @param access the org's principals on its dataset; null: none given
   */
  record Onboard(
      OrgSlug orgSlug,
      String companyName,
      String adminEmail,
      SubscriptionPlan subscriptionPlan,
      String defaultCurrency,
      String defaultTimezone,
      String datasetLocation,
      String apiKeySha256,
      DatasetSettings datasetSettings,
      boolean regenerateApiKey,
      boolean dryRun,
      List<AccessEntry> access)
      implements Command {

    public Onboard {
      datasetSettings = datasetSettings == null ? DatasetSettings.NONE : datasetSettings;
      access = access == null ? null : List.copyOf(access);
    }

    /** An onboarding that names no principals. */
    public Onboard(
        OrgSlug orgSlug,
        String companyName,
        String adminEmail,
        SubscriptionPlan subscriptionPlan,
        String defaultCurrency,
        String defaultTimezone,
        String datasetLocation,
        String apiKeySha256,
        DatasetSettings datasetSettings,
        boolean regenerateApiKey,
        boolean dryRun) {
      this(
          orgSlug,
          companyName,
          adminEmail,
          subscriptionPlan,
          defaultCurrency,
          defaultTimezone,
          datasetLocation,
          apiKeySha256,
          datasetSettings,
          regenerateApiKey,
          dryRun,
          null);
    }

    @Override
    public CommandType type() {
      return CommandType.ONBOARD;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.of(orgSlug);
    }
  }

  /**
   * Bring an org's dataset in line with the catalog.
   *
   * @param tables restrict to these tables; empty means all
   * @param access the org's principals on its dataset, replacing those recorded; null: the recorded
   *     ones stay (and are re-applied)
   */
  record Sync(
      OrgSlug orgSlug,
      List<String> tables,
      boolean columns,
      ViewOption views,
      boolean dryRun,
      List<AccessEntry> access,
      boolean failOnNonAdditiveDrift)
      implements Command {
    public Sync {
      tables = tables == null ? List.of() : List.copyOf(tables);
      views = views == null ? ViewOption.UPDATE : views;
      access = access == null ? null : List.copyOf(access);
    }

    /** A sync that keeps the recorded principals. */
    public Sync(
        OrgSlug orgSlug, List<String> tables, boolean columns, ViewOption views, boolean dryRun) {
      this(orgSlug, tables, columns, views, dryRun, null, false);
    }

    /** A sync that succeeds whatever non-additive drift it finds (reported in its event). */
    public Sync(
        OrgSlug orgSlug,
        List<String> tables,
        boolean columns,
        ViewOption views,
        boolean dryRun,
        List<AccessEntry> access) {
      this(orgSlug, tables, columns, views, dryRun, access, false);
    }

    @Override
    public CommandType type() {
      return CommandType.SYNC;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.of(orgSlug);
    }
  }

  /**
   * Issue an org a new API key (only its SHA-256 travels).
   *
   * @param revokePrevious deactivate the org's other active keys
   */
  record RotateApiKey(OrgSlug orgSlug, String apiKeySha256, boolean revokePrevious)
      implements Command {
    @Override
    public CommandType type() {
      return CommandType.ROTATE_API_KEY;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.of(orgSlug);
    }
  }

  /** Move an onboarded org to another subscription plan. */
  record ChangePlan(OrgSlug orgSlug, SubscriptionPlan plan) implements Command {
    @Override
    public CommandType type() {
      return CommandType.CHANGE_PLAN;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.of(orgSlug);
    }
  }

  /**
   * Start offboarding an org: access off at once, its dataset deleted when the grace period ends.
   *
   * @param graceDays days until deletion; null: the configured default
   */
  record Offboard(OrgSlug orgSlug, String reason, Integer graceDays) implements Command {
    @Override
    public CommandType type() {
      return CommandType.OFFBOARD;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.of(orgSlug);
    }
  }

  /** Undo an offboarding: before the deletion, or after it within the restore window. */
  record Restore(OrgSlug orgSlug) implements Command {
    @Override
    public CommandType type() {
      return CommandType.RESTORE;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.of(orgSlug);
    }
  }

  /**
   * The end of an offboarding's grace period (issued by the worker, due at {@code deletionAt}).
   *
   * @param deletionAt the deletion time the offboarding scheduled; a later offboarding or a restore
   *     in between makes this timer void
   */
  record OffboardDeadline(OrgSlug orgSlug, Instant deletionAt) implements Command {
    @Override
    public CommandType type() {
      return CommandType.OFFBOARD_DEADLINE;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.of(orgSlug);
    }
  }

  /** Create or complete the central dataset. */
  record Bootstrap(boolean dryRun) implements Command {
    @Override
    public CommandType type() {
      return CommandType.BOOTSTRAP;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.empty();
    }
  }

  /**
   * Compare orgs with the catalog.
   *
   * @param orgs the orgs to check; empty means every org
   */
  record DriftCheck(List<OrgSlug> orgs, boolean autoRepair) implements Command {
    public DriftCheck {
      orgs = orgs == null ? List.of() : List.copyOf(orgs);
    }

    @Override
    public CommandType type() {
      return CommandType.DRIFT_CHECK;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.empty();
    }
  }

  /**
   * Start rolling the catalog this worker runs out to the fleet, wave by wave.
   *
   * @param spec the waves, bake time, failure threshold and concurrency
   */
  record RolloutStart(dev.orgprovisioner.rollout.RolloutSpec spec) implements Command {
    @Override
    public CommandType type() {
      return CommandType.ROLLOUT_START;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.empty();
    }
  }

  /** Resume a halted roll-out: its current wave's failed orgs are synced again. */
  record RolloutResume(String rolloutId) implements Command {
    @Override
    public CommandType type() {
      return CommandType.ROLLOUT_RESUME;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.empty();
    }
  }

  /**
   * Halt (resumable) or abort (for good) a roll-out.
   *
   * @param abort true for an abort, false for a halt
   */
  record RolloutStop(String rolloutId, boolean abort, String reason) implements Command {
    @Override
    public CommandType type() {
      return abort ? CommandType.ROLLOUT_ABORT : CommandType.ROLLOUT_HALT;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.empty();
    }
  }

  /**
   * A roll-out's wave ended (issued by its driver); the job publishes it as an event.
   *
   * @param summary the event's data: the wave's counts and what the roll-out does next
   */
  record RolloutWaveEnded(String rolloutId, java.util.Map<String, Object> summary)
      implements Command {
    public RolloutWaveEnded {
      summary = java.util.Map.copyOf(summary);
    }

    @Override
    public CommandType type() {
      return CommandType.ROLLOUT_WAVE_ENDED;
    }

    @Override
    public Optional<OrgSlug> org() {
      return Optional.empty();
    }
  }
}
