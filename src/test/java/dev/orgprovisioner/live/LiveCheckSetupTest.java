package dev.orgprovisioner.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.live.LiveCheckSetup.CredentialsProbe;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LiveCheckSetupTest {

  private static final CredentialsProbe NONE_FOUND =
      () -> Optional.of("Your default credentials were not found");

  private static final CredentialsProbe MUST_NOT_BE_ASKED =
      () -> {
        throw new AssertionError("credentials were looked up");
      };

  @Test
  void withoutAProjectItIsSkippedSayingWhatToSet() {
    LiveCheckSetup setup = LiveCheckSetup.resolve(Optional.empty(), Map.of(), MUST_NOT_BE_ASKED);

    assertThat(setup).isInstanceOf(LiveCheckSetup.Skipped.class);
    assertThat(((LiveCheckSetup.Skipped) setup).message())
        .contains("skipped: no project")
        .contains("GOOGLE_CLOUD_PROJECT")
        .contains("deploy/live-check.sh <project-id>")
        .contains("GOOGLE_APPLICATION_CREDENTIALS")
        .contains("gcloud auth application-default login");
  }

  @Test
  void withAProjectButNoCredentialsItIsSkippedSayingWhatToSet() {
    LiveCheckSetup setup =
        LiveCheckSetup.resolve(Optional.empty(), Map.of("GOOGLE_CLOUD_PROJECT", "p1"), NONE_FOUND);

    assertThat(((LiveCheckSetup.Skipped) setup).message())
        .contains("no Application Default Credentials for project p1")
        .contains("Your default credentials were not found")
        .contains("GOOGLE_APPLICATION_CREDENTIALS")
        .contains("gcloud auth application-default login");
  }

  @Test
  void theProjectArgumentWinsOverTheEnvironmentAndEachRunGetsItsOwnNames() {
    Map<String, String> env = Map.of("GOOGLE_CLOUD_PROJECT", "from-env");

    LiveTarget first =
        ((LiveCheckSetup.Ready)
                LiveCheckSetup.resolve(Optional.of("from-arg"), env, Optional::empty))
            .target();
    LiveTarget second =
        ((LiveCheckSetup.Ready) LiveCheckSetup.resolve(Optional.empty(), env, Optional::empty))
            .target();

    assertThat(first.project()).isEqualTo("from-arg");
    assertThat(second.project()).isEqualTo("from-env");
    assertThat(first.run()).startsWith("livecheck_").isNotEqualTo(second.run());
    assertThat(first.centralDataset()).startsWith(first.run() + "_");
  }

  @Test
  void aHostOverrideNeedsNoCredentials() {
    LiveCheckSetup setup =
        LiveCheckSetup.resolve(
            Optional.of("p1"),
            Map.of("WAREHOUSE_BIGQUERY_HOST", "http://127.0.0.1:9050"),
            MUST_NOT_BE_ASKED);

    assertThat(((LiveCheckSetup.Ready) setup).target().host()).contains("http://127.0.0.1:9050");
  }
}
