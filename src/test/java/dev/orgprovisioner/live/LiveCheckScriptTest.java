package dev.orgprovisioner.live;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/live-check.sh without a project: skipped at once, exit 0, saying what to set. */
class LiveCheckScriptTest {

  @Test
  void withoutAProjectTheScriptSkipsWithExitCodeZeroAndTheCheckOwnMessage() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", "deploy/live-check.sh").redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    Process script = builder.start();

    String output = new String(script.getInputStream().readAllBytes(), UTF_8);
    assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(script.exitValue()).isZero();
    // The same text the check prints when Maven runs it without a project, and no Maven run.
    String expected =
        ((LiveCheckSetup.Skipped)
                LiveCheckSetup.resolve(Optional.empty(), Map.of(), Optional::empty))
            .message();
    assertThat(output).isEqualTo(expected + "\n");
  }
}
