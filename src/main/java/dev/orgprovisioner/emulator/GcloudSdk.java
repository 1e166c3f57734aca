package dev.orgprovisioner.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Locates the Google Cloud SDK installation that holds a given emulator component. */
final class GcloudSdk {

  static final String ROOT_PROPERTY = "gcloud.sdk.root";
  static final String ROOT_ENV = "CLOUDSDK_ROOT";
  static final List<Path> FALLBACK_ROOTS =
      List.of(Path.of("/usr/lib/google-cloud-sdk"), Path.of("/usr/share/google-cloud-sdk"));

  static final String INSTALL_HINT =
      "Install the emulators with `gcloud components install pubsub-emulator"
          + " cloud-firestore-emulator`, or for an apt-installed SDK the Debian packages"
          + " google-cloud-cli-pubsub-emulator and google-cloud-cli-firestore-emulator; or point"
          + " -D"
          + ROOT_PROPERTY
          + " / "
          + ROOT_ENV
          + " at the SDK root.";

  private static final long GCLOUD_INFO_TIMEOUT_SECONDS = 30;

  // `gcloud info` starts Python and takes about a second: ask it once per JVM.
  private static volatile GcloudInfo gcloudInfo;

  private GcloudSdk() {}

  /** Returns the SDK root that contains {@code component} (e.g. platform/pubsub-emulator). */
  static Path rootContaining(String component) {
    return rootContaining(
        component,
        System.getProperty(ROOT_PROPERTY),
        System.getenv(ROOT_ENV),
        GcloudSdk::gcloudInfo,
        FALLBACK_ROOTS);
  }

  static Path rootContaining(
      String component,
      String propertyRoot,
      String envRoot,
      Supplier<GcloudInfo> gcloudInfo,
      List<Path> fallbackRoots) {
    List<String> tried = new ArrayList<>();
    // An explicit setting wins outright: silently using another SDK would hide a misconfiguration.
    if (isSet(propertyRoot)) {
      return requireComponent(
          component, Path.of(propertyRoot), "system property " + ROOT_PROPERTY, tried);
    }
    tried.add("system property " + ROOT_PROPERTY + " (not set)");
    if (isSet(envRoot)) {
      return requireComponent(
          component, Path.of(envRoot), "environment variable " + ROOT_ENV, tried);
    }
    tried.add("environment variable " + ROOT_ENV + " (not set)");

    Set<Path> candidates = new LinkedHashSet<>();
    GcloudInfo info = gcloudInfo.get();
    if (info.sdkRoot().isPresent()) {
      candidates.add(info.sdkRoot().get());
    } else {
      tried.add("`gcloud info --format=value(installation.sdk_root)` (" + info.problem() + ")");
    }
    candidates.addAll(fallbackRoots);
    for (Path candidate : candidates) {
      Optional<String> problem = problemWith(candidate, component);
      if (problem.isEmpty()) {
        return candidate;
      }
      tried.add(candidate + " (" + problem.get() + ")");
    }
    throw notFound(component, tried);
  }

  private static Path requireComponent(
      String component, Path root, String source, List<String> tried) {
    Optional<String> problem = problemWith(root, component);
    if (problem.isEmpty()) {
      return root;
    }
    tried.add(source + " = " + root + " (" + problem.get() + ")");
    throw notFound(component, tried);
  }

  private static Optional<String> problemWith(Path root, String component) {
    if (!Files.isDirectory(root)) {
      return Optional.of("no such directory");
    }
    if (!Files.isDirectory(root.resolve(component))) {
      return Optional.of("has no " + component);
    }
    return Optional.empty();
  }

  private static EmulatorException notFound(String component, List<String> tried) {
    return new EmulatorException(
        "Google Cloud SDK emulator component "
            + component
            + " not found. Tried: "
            + String.join("; ", tried)
            + ". "
            + INSTALL_HINT);
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  private static GcloudInfo gcloudInfo() {
    GcloudInfo info = gcloudInfo;
    if (info == null) {
      info = runGcloudInfo();
      gcloudInfo = info;
    }
    return info;
  }

  private static GcloudInfo runGcloudInfo() {
    Path out = null;
    try {
      out = Files.createTempFile("gcloud-info", ".txt");
      // Output goes to a file so that a hung gcloud cannot block us on a pipe past the timeout.
      Process process =
          new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(GCLOUD_INFO_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return GcloudInfo.failed("timed out after " + GCLOUD_INFO_TIMEOUT_SECONDS + " s");
      }
      String root = Files.readString(out, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0 || root.isEmpty()) {
        return GcloudInfo.failed("exit code " + process.exitValue() + ", printed '" + root + "'");
      }
      return new GcloudInfo(Optional.of(Path.of(root)), "");
    } catch (IOException e) {
      return GcloudInfo.failed("gcloud not runnable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return GcloudInfo.failed("interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // A stray temp file is harmless.
        }
      }
    }
  }

  /** What {@code gcloud info} reported: the SDK root, or why there is none. */
  record GcloudInfo(Optional<Path> sdkRoot, String problem) {
    static GcloudInfo failed(String problem) {
      return new GcloudInfo(Optional.empty(), problem);
    }
  }
}
