package dev.orgprovisioner.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Where catalog files are read from: a directory on disk, or the classpath of the packaged app. */
public interface CatalogSource {

  /** The text of a file relative to the catalog root, if it exists. */
  Optional<String> read(String relativePath) throws IOException;

  /** Files in a folder relative to the root, when the source can list them (disk only). */
  Optional<List<String>> list(String relativeDir) throws IOException;

  /** A catalog in a directory on disk (the repository's {@code schemas/}). */
  static CatalogSource directory(Path root) {
    return new CatalogSource() {
      @Override
      public Optional<String> read(String relativePath) throws IOException {
        Path file = root.resolve(relativePath);
        return Files.isRegularFile(file)
            ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
            : Optional.empty();
      }

      @Override
      public Optional<List<String>> list(String relativeDir) throws IOException {
        Path dir = root.resolve(relativeDir);
        if (!Files.isDirectory(dir)) {
          return Optional.of(List.of());
        }
        try (Stream<Path> files = Files.list(dir)) {
          return Optional.of(files.map(p -> p.getFileName().toString()).sorted().toList());
        }
      }

      @Override
      public String toString() {
        return root.toString();
      }
    };
  }

  /** A catalog packaged on the classpath under a resource prefix (e.g. {@code schemas}). */
  static CatalogSource classpath(String prefix, ClassLoader loader) {
    return new CatalogSource() {
      @Override
      public Optional<String> read(String relativePath) throws IOException {
        try (InputStream in = loader.getResourceAsStream(prefix + "/" + relativePath)) {
          return in == null
              ? Optional.empty()
              : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }

      @Override
      public Optional<List<String>> list(String relativeDir) {
        return Optional.empty();
      }

      @Override
      public String toString() {
        return "classpath:" + prefix;
      }
    };
  }
}
