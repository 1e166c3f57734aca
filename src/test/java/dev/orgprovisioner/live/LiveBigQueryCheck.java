package dev.orgprovisioner.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.live.LiveCheckSetup.CredentialsProbe;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The live check's entry point: {@code deploy/live-check.sh} runs it through {@code
 * -Plive-bigquery} (tag {@code live}, never part of the suite). Skipped, with what to set, without
 * a project or credentials: Maven then exits 0; a failed step fails it and Maven exits 1.
 */
@Tag("live")
class LiveBigQueryCheck {

  @Test
  void bootstrapOnboardingNoOpSyncAndDriftCheckPassAgainstBigQuery() {
    LiveCheckSetup setup =
        LiveCheckSetup.resolve(
            Optional.ofNullable(System.getProperty("live.project")),
            System.getenv(),
            CredentialsProbe.APPLICATION_DEFAULT);
    if (setup instanceof LiveCheckSetup.Skipped skipped) {
      System.out.println(skipped.message());
      Assumptions.abort(skipped.message());
    }
    LiveCheckReport report =
        new LiveCheck(((LiveCheckSetup.Ready) setup).target(), System.out).run();
    assertThat(report.passed()).as("the live check (its table is printed above)").isTrue();
  }
}
