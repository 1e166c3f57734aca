package dev.orgprovisioner.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The worker's Dockerfile read as instructions (no Docker engine is needed). */
final class Dockerfile {

  static final Path PATH = Path.of("src", "main", "docker", "Dockerfile.jvm");

  /** One instruction: keyword (upper case) and its arguments as written. */
  record Instruction(String keyword, String arguments) {}

  /** A {@code COPY} in the final stage: where from (in the build stage) and where to. */
  record Copy(String from, String source, String destination) {}

  private final List<List<Instruction>> stages;

  private Dockerfile(List<List<Instruction>> stages) {
    this.stages = stages;
  }

  static Dockerfile load() {
    try {
      return parse(Files.readString(PATH));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile parse(String text) {
    List<List<Instruction>> stages = new ArrayList<>();
    StringBuilder logical = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (logical.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        continue; // a comment inside a continued instruction
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      String instruction = logical.toString().strip();
      logical.setLength(0);
      int space = instruction.indexOf(' ');
      String keyword =
          (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT);
      String args = space < 0 ? "" : instruction.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        stages.add(new ArrayList<>());
      }
      if (stages.isEmpty()) {
        throw new AssertionError("Dockerfile instruction before FROM: " + instruction);
      }
      stages.get(stages.size() - 1).add(new Instruction(keyword, args));
    }
    return new Dockerfile(stages);
  }

  List<Instruction> finalStage() {
    return stages.get(stages.size() - 1);
  }

  List<List<Instruction>> stages() {
    return stages;
  }

  /** The base image of the final stage. */
  String runtimeImage() {
    return finalStage().get(0).arguments().split("\\s+")[0];
  }

  Optional<String> last(String keyword) {
    String found = null;
    for (Instruction i : finalStage()) {
      if (i.keyword().equals(keyword)) {
        found = i.arguments();
      }
    }
    return Optional.ofNullable(found);
  }

  /** Index of the last instruction of a keyword in the final stage, -1 when absent. */
  int lastIndex(String keyword) {
    int found = -1;
    for (int n = 0; n < finalStage().size(); n++) {
      if (finalStage().get(n).keyword().equals(keyword)) {
        found = n;
      }
    }
    return found;
  }

  /** The ENTRYPOINT in exec form; fails when it is missing or in shell form. */
  List<String> entrypoint() {
    String raw = last("ENTRYPOINT").orElseThrow(() -> new AssertionError("no ENTRYPOINT"));
    if (!raw.startsWith("[")) {
      throw new AssertionError(
          "ENTRYPOINT must be in exec form (signals reach the JVM, arguments append): " + raw);
    }
    try {
      return new ObjectMapper().readValue(raw, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new AssertionError("ENTRYPOINT is not a JSON array: " + raw, e);
    }
  }

  /** The jar the entry point runs ({@code java ... -jar <path>}). */
  String entrypointJar() {
    List<String> entry = entrypoint();
    int jar = entry.indexOf("-jar");
    if (jar < 0 || jar + 1 >= entry.size()) {
      throw new AssertionError("ENTRYPOINT runs no -jar: " + entry);
    }
    return entry.get(jar + 1);
  }

  /** The final stage's COPY instructions (with their --from stage, or null for the context). */
  List<Copy> finalCopies() {
    List<Copy> copies = new ArrayList<>();
    for (Instruction i : finalStage()) {
      if (!i.keyword().equals("COPY")) {
        continue;
      }
      String from = null;
      List<String> paths = new ArrayList<>();
      for (String token : i.arguments().split("\\s+")) {
        if (token.startsWith("--from=")) {
          from = token.substring("--from=".length());
        } else if (!token.startsWith("--")) {
          paths.add(token);
        }
      }
      String destination = paths.remove(paths.size() - 1);
      for (String source : paths) {
        copies.add(new Copy(from, source, destination));
      }
    }
    return copies;
  }

  /** The WORKDIR of the first stage (where the build runs). */
  String buildWorkdir() {
    return stages.get(0).stream()
        .filter(i -> i.keyword().equals("WORKDIR"))
        .map(Instruction::arguments)
        .reduce((a, b) -> b)
        .orElse("/");
  }

  /**
   * The path inside the built project ({@code target/worker/...}) that ends up at a path of the
   * image, following the final stage's COPY instructions; empty when no COPY puts it there.
   */
  Optional<String> projectPathOf(String imagePath) {
    String root = buildWorkdir().endsWith("/") ? buildWorkdir() : buildWorkdir() + "/";
    for (Copy copy : finalCopies()) {
      if (copy.from() == null || !copy.source().startsWith(root)) {
        continue;
      }
      String source = copy.source().substring(root.length());
      if (copy.destination().endsWith("/") && source.endsWith("/")) {
        if (imagePath.startsWith(copy.destination())) {
          return Optional.of(source + imagePath.substring(copy.destination().length()));
        }
      } else if (!source.endsWith("/") && imagePath.equals(copy.destination())) {
        return Optional.of(source);
      } else if (!source.endsWith("/")
          && copy.destination().endsWith("/")
          && imagePath.equals(copy.destination() + Path.of(source).getFileName())) {
        return Optional.of(source);
      }
    }
    return Optional.empty();
  }
}
