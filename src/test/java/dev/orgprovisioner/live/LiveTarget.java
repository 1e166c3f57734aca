package dev.orgprovisioner.live;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where one run of the live check goes: the project, an optional host override (a local stub), the
 * environment the worker's configuration is read from, and the run's throw-away names. Every
 * dataset the run creates starts with {@code run + "_"}, so it never meets a real tenant.
 *
 * @param run a fresh id, {@code livecheck_<time>_<random>}: the org slug of the onboarded org
 * @param env environment variables the worker's configuration keys are read from (e.g.
 *     WAREHOUSE_LOCATION), as the deployed worker reads them
 */
record LiveTarget(String project, Optional<String> host, String run, Map<String, String> env) {

  private static final SecureRandom RANDOM = new SecureRandom();

  LiveTarget {
    host = host.filter(h -> !h.isBlank());
    env = Map.copyOf(env);
  }

  /** A target with a fresh run id. */
  static LiveTarget fresh(String project, Optional<String> host, Map<String, String> env) {
    return new LiveTarget(project, host, newRunId(), env);
  }

  static String newRunId() {
    String time = Long.toString(System.currentTimeMillis(), 36);
    String random = Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36), 36);
    return ("livecheck_" + time + "_" + random).toLowerCase(Locale.ROOT);
  }

  /** The org the run onboards (its dataset is {@code <run>_<env>}). */
  String org() {
    return run;
  }

  /** The run's own central dataset, in place of the catalog's. */
  String centralDataset() {
    return run + "_central";
  }
}
