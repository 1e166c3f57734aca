package dev.orgprovisioner.command;

import java.util.Arrays;
import java.util.Optional;

/** The command types the worker accepts, by their CloudEvents {@code ce-type}. */
public enum CommandType {
  ONBOARD("org.onboard.requested", 1, true),
  SYNC("org.sync.requested", 2, true),
  BOOTSTRAP("central.bootstrap.requested", 1, false),
  DRIFT_CHECK("drift.check.requested", 3, false),
  ROTATE_API_KEY("org.api_key.rotate.requested", 2, true),
  CHANGE_PLAN("org.plan.change.requested", 2, true),
  OFFBOARD("org.offboard.requested", 2, true),
  RESTORE("org.restore.requested", 1, true),
  // The durable timer an offboarding leaves behind; only the worker issues it.
  OFFBOARD_DEADLINE("org.offboard.deadline.reached", 2, true, false),
  ROLLOUT_START("rollout.start.requested", 2, false),
  ROLLOUT_RESUME("rollout.resume.requested", 2, false),
  ROLLOUT_HALT("rollout.halt.requested", 1, false),
  ROLLOUT_ABORT("rollout.abort.requested", 1, false),
  // A roll-out's wave ended: its job publishes rollout.wave.completed. Only the worker issues it.
  ROLLOUT_WAVE_ENDED("rollout.wave.ended", 2, false, false);

  private final String ceType;
  private final int priority;
  private final boolean perOrg;
  private final boolean external;

  CommandType(String ceType, int priority, boolean perOrg) {
    this(ceType, priority, perOrg, true);
  }

  CommandType(String ceType, int priority, boolean perOrg, boolean external) {
    this.ceType = ceType;
    this.priority = priority;
    this.perOrg = perOrg;
    this.external = external;
  }

  /** Whether it steers a roll-out (one lock for all of them: one roll-out moves at a time). */
  public boolean rollout() {
    return ceType.startsWith("rollout.");
  }

  /** Whether publishers may send it; the others are issued by the worker itself. */
  public boolean external() {
    return external;
  }

  /** The {@code ce-type} attribute value. */
  public String ceType() {
    return ceType;
  }

  /** Queue priority, 1 = highest: onboarding before sync before drift work. */
  public int priority() {
    return priority;
  }

  /** Whether the command concerns one org (and must be ordered by its slug). */
  public boolean perOrg() {
    return perOrg;
  }

  /** The type a publisher may send under {@code ceType}. */
  public static Optional<CommandType> acceptedFrom(String ceType) {
    return fromCeType(ceType).filter(CommandType::external);
  }

  public static Optional<CommandType> fromCeType(String ceType) {
    return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
  }
}
