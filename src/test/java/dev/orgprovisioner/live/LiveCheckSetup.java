package dev.orgprovisioner.live;

import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** Whether the live check can run, from its project argument and the environment; else why not. */
sealed interface LiveCheckSetup {

  /** Everything needed is there. */
  record Ready(LiveTarget target) implements LiveCheckSetup {}

  /** Something is missing; the message says what to set. */
  record Skipped(String message) implements LiveCheckSetup {}

  /** Finds Application Default Credentials; empty when found, else why not. */
  interface CredentialsProbe {
    Optional<String> missing();

    /** The lookup the BigQuery client itself makes. */
    CredentialsProbe APPLICATION_DEFAULT =
        () -> {
          try {
            GoogleCredentials.getApplicationDefault();
            return Optional.empty();
          } catch (IOException e) {
            return Optional.of(e.getMessage());
          }
        };
  }

  String HOW_TO =
      """
        project:     deploy/live-check.sh <project-id>   (or GOOGLE_CLOUD_PROJECT=<project-id>)
        credentials: gcloud auth application-default login
                     (or GOOGLE_APPLICATION_CREDENTIALS=/path/to/service-account-key.json)\
      """;

  /**
   * The setup from the project argument (else {@code GOOGLE_CLOUD_PROJECT}) and credentials; with a
   * host override ({@code WAREHOUSE_BIGQUERY_HOST}, e.g. a local stub) none are needed.
   */
  static LiveCheckSetup resolve(
      Optional<String> projectArgument, Map<String, String> env, CredentialsProbe credentials) {
    Optional<String> project =
        projectArgument
            .or(() -> Optional.ofNullable(env.get("GOOGLE_CLOUD_PROJECT")))
            .filter(p -> !p.isBlank());
    if (project.isEmpty()) {
      return new Skipped(
          "Live BigQuery check skipped: no project. Set both of these and run it again:\n"
              + HOW_TO);
    }
    Optional<String> host =
        Optional.ofNullable(env.get("WAREHOUSE_BIGQUERY_HOST")).filter(h -> !h.isBlank());
    if (host.isEmpty()) {
      Optional<String> missing = credentials.missing();
      if (missing.isPresent()) {
        return new Skipped(
            "Live BigQuery check skipped: no Application Default Credentials for project "
                + project.get()
                + " ("
                + missing.get()
                + "). Set them and run it again:\n"
                + HOW_TO);
      }
    }
    return new Ready(LiveTarget.fresh(project.get(), host, env));
  }
}
