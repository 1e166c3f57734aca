package dev.orgprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.orgprovisioner.cli.OpsCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runbook (deploy/README.md) uses commands that exist: real, generally available gcloud
 * commands and the project's own ops CLI; and it explains every alert Terraform defines.
 */
class RunbookTest {

  static final Path RUNBOOK = Path.of("deploy", "README.md");

  /**
   * gcloud commands the runbook may use. Each was run with --help on gcloud 528 here, and {@link
   * #knownGcloudCommands_existAsGenerallyAvailableCommandsOfTheInstalledSdk} checks them against
   * the installed SDK's command tree.
   */
  static final List<String> GCLOUD_COMMANDS =
      List.of(
          "auth login",
          "auth application-default login",
          "config set",
          "builds submit",
          "secrets versions add",
          "secrets versions list",
          "run services describe",
          "run services update-traffic",
          "run services proxy",
          "run services logs read",
          "run revisions list",
          "pubsub subscriptions describe",
          "pubsub topics list",
          "firestore indexes composite list",
          "firestore fields ttls list",
          "firestore databases describe",
          "logging read",
          "artifacts docker images list",
          "projects describe");

  /**
   * The ops CLI's commands and options as the shared brief defines them (the ops-cli branch
   * implements them in parallel). After both are merged this list can come from picocli's own
   * CommandSpec instead.
   */
  private static String runbook;

  private static List<String> commands;

  @BeforeAll
  static void read() throws IOException {
    runbook = Files.readString(RUNBOOK);
    commands = commandLines(runbook);
  }

  /**
   * Every shell command of the runbook: the lines of fenced code blocks (continuations joined) and
   * inline code spans, split at pipes, && and $( so each program starts a segment.
   */
  static List<String> commandLines(String markdown) {
    List<String> lines = new ArrayList<>();
    Matcher fenced = Pattern.compile("(?s)```[a-z]*\\n(.*?)```").matcher(markdown);
    while (fenced.find()) {
      String block = fenced.group(1).replaceAll("\\\\\\n\\s*", " ");
      lines.addAll(Arrays.asList(block.split("\\n")));
    }
    String prose = markdown.replaceAll("(?s)```[a-z]*\\n.*?```", "");
    Matcher inline = Pattern.compile("`([^`]+)`").matcher(prose);
    while (inline.find()) {
      lines.add(inline.group(1).replaceAll("\\s+", " "));
    }
    List<String> segments = new ArrayList<>();
    for (String line : lines) {
      for (String segment : line.split("\\||&&|;|\\$\\(")) {
        String s = segment.strip();
        if (!s.isEmpty() && !s.startsWith("#")) {
          segments.add(s);
        }
      }
    }
    return segments;
  }

  @Test
  void everyGcloudCommandInTheRunbook_isAKnownGcloudCommand() {
    List<String> gcloud = commands.stream().filter(c -> c.startsWith("gcloud ")).toList();

    assertThat(gcloud).as("the runbook uses gcloud").hasSizeGreaterThanOrEqualTo(5);
    for (String line : gcloud) {
      String rest = line.substring("gcloud ".length()) + " ";
      assertThat(GCLOUD_COMMANDS)
          .as("`%s` starts with a known gcloud command", line)
          .anyMatch(known -> rest.startsWith(known + " "));
    }
  }

  @Test
  void everyOpsCommandInTheRunbook_usesTheCliSurface() {
    List<List<String>> ops =
        commands.stream()
            .filter(c -> !c.contains("…"))
            .map(RunbookTest::opsArguments)
            .flatMap(Optional::stream)
            .toList();

    assertThat(ops).as("the runbook uses the ops CLI").hasSizeGreaterThanOrEqualTo(8);
    for (List<String> args : ops) {
      // The CLI's own parser: an unknown command, option or enum value (job state) throws.
      assertThatCode(() -> OpsCli.commandLine().parseArgs(args.toArray(String[]::new)))
          .as("`ops %s` parses as a command of the CLI", String.join(" ", args))
          .doesNotThrowAnyException();
    }
  }

  /** The arguments after `ops` when a segment runs the ops CLI. */
  private static Optional<List<String>> opsArguments(String segment) {
    Matcher m = Pattern.compile("(?:^|\\s)(?:\\./ops|ops)\\s+(.*)$").matcher(segment);
    boolean runsOps =
        segment.startsWith("./ops ")
            || segment.startsWith("ops ")
            || segment.contains("-runner.jar ops ")
            || segment.contains(" IMAGE ops ");
    if (!runsOps || !m.find()) {
      return Optional.empty();
    }
    return Optional.of(List.of(m.group(1).strip().split("\\s+")));
  }

  @Test
  void everyAlertOfTheTerraform_isExplainedUnderItsOwnHeading() {
    Terraform tf = Terraform.load();
    List<String> alerts =
        tf.resources("google_monitoring_alert_policy").values().stream()
            .map(a -> (String) a.get("display_name"))
            .toList();

    assertThat(alerts).hasSizeGreaterThanOrEqualTo(3);
    assertThat(runbook.lines().filter(l -> l.startsWith("### ")).map(l -> l.substring(4)))
        .containsAll(alerts);
  }

  @Test
  void knownGcloudCommands_existAsGenerallyAvailableCommandsOfTheInstalledSdk() throws IOException {
    Optional<Path> surface = gcloudSurface();
    assumeThat(surface).as("an installed gcloud SDK (lib/surface)").isPresent();

    for (String command : GCLOUD_COMMANDS) {
      Path current = surface.get();
      List<Path> declarations = new ArrayList<>();
      String[] words = command.split(" ");
      for (int n = 0; n < words.length; n++) {
        String word = words[n].replace('-', '_');
        if (n < words.length - 1) {
          current = current.resolve(word);
          declarations.add(current.resolve("__init__.py"));
        } else {
          Path py = current.resolve(word + ".py");
          Path yaml = current.resolve(word + ".yaml");
          assertThat(Files.exists(py) || Files.exists(yaml))
              .as("gcloud %s exists in %s", command, surface.get())
              .isTrue();
          declarations.add(Files.exists(py) ? py : yaml);
        }
      }
      for (Path declaration : declarations) {
        if (!Files.exists(declaration)) {
          continue;
        }
        String text = Files.readString(declaration);
        boolean declaresTracks = text.contains("ReleaseTracks(") || text.contains("release_tracks");
        if (declaresTracks) {
          assertThat(text)
              .as("gcloud %s is generally available (%s)", command, declaration)
              .containsPattern("ReleaseTrack\\.GA|release_tracks:.*\\bGA\\b");
        }
      }
    }
  }

  /** lib/surface of the gcloud on the PATH (or CLOUDSDK_ROOT), when there is one. */
  private static Optional<Path> gcloudSurface() {
    String root = System.getenv("CLOUDSDK_ROOT");
    if (root != null && Files.isDirectory(Path.of(root, "lib", "surface"))) {
      return Optional.of(Path.of(root, "lib", "surface"));
    }
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(java.io.File.pathSeparator))
        .map(dir -> Path.of(dir, "gcloud"))
        .filter(Files::isExecutable)
        .findFirst()
        .flatMap(
            gcloud -> {
              try {
                Path sdk = gcloud.toRealPath().getParent().getParent();
                Path surface = sdk.resolve("lib").resolve("surface");
                return Files.isDirectory(surface) ? Optional.of(surface) : Optional.empty();
              } catch (IOException e) {
                return Optional.empty();
              }
            });
  }
}
