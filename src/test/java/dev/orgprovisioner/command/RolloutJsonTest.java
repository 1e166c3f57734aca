package dev.orgprovisioner.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.DecodeResult.Accepted;
import dev.orgprovisioner.command.DecodeResult.Rejected;
import dev.orgprovisioner.rollout.Wave;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutJsonTest {

  private final CommandDecoder decoder =
      CommandDecoder.fromClasspath(
          getClass().getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  private DecodeResult start(String waves) {
    Map<String, String> attrs = MalformedCommands.onboardAttributes("ro-1");
    attrs.put("ce-type", "rollout.start.requested");
    String data =
        "{\"rollout_id\":\"add-credits\",\"target_catalog_version\":\"3\",\"waves\":"
            + waves
            + ",\"bake_seconds\":600,\"max_failure_rate\":0.05,\"max_concurrent_orgs\":20}";
    return decoder.decode(attrs, data.getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void aStart_isDecodedIntoItsSpec() {
    Accepted a = (Accepted) start("[{\"orgs\":[\"acme_corp\"]},{\"share\":0.1},{\"share\":1}]");

    var spec = ((Command.RolloutStart) a.envelope().command()).spec();
    assertThat(spec.id()).isEqualTo("add-credits");
    assertThat(spec.targetVersion()).isEqualTo("3");
    assertThat(spec.waves())
        .containsExactly(
            new Wave.Canary(java.util.List.of("acme_corp")),
            new Wave.Share(0.1),
            new Wave.Share(1));
    assertThat(spec.bakeTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(spec.maxFailureRate()).isEqualTo(0.05);
    assertThat(spec.maxConcurrentOrgs()).isEqualTo(20);
  }

  @Test
  void wavesThatDoNotEndAtTheWholeFleet_areRejectedNamingTheLastWave() {
    Rejected r = (Rejected) start("[{\"orgs\":[\"acme_corp\"]},{\"share\":0.5}]");

    assertThat(r.rejection().field()).isEqualTo("data.waves[1].share");
    assertThat(r.rejection().message()).contains("whole fleet");
  }

  @Test
  void sharesThatShrink_areRejectedNamingTheWave() {
    Rejected r = (Rejected) start("[{\"share\":0.5},{\"share\":0.2},{\"share\":1}]");

    assertThat(r.rejection().field()).isEqualTo("data.waves[1].share");
  }

  @Test
  void aShareAboveOne_isRejectedByTheSchema() {
    Rejected r = (Rejected) start("[{\"share\":1.5}]");

    assertThat(r.rejection().field()).startsWith("data.waves[0]");
  }
}
