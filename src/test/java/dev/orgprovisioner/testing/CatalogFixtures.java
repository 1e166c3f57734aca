package dev.orgprovisioner.testing;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.catalog.CatalogLoader;
import dev.orgprovisioner.catalog.CatalogSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Catalogs for tests: the project's real one, and a small one that tests copy and modify. */
public final class CatalogFixtures {

  /** The repository's catalog, as packaged. */
  public static final Path PROJECT = Path.of("schemas");

  /** A two-table central scope and a two-table org scope with a view, nested and repeated. */
  public static final Path MINIMAL = Path.of("src/test/resources/catalog/minimal");

  /**
   * The next version of {@link #MINIMAL} (version 2 of both scopes): new columns, a new table, new
   * descriptions and view SQL; for workers of two catalog versions side by side.
   */
  public static final Path MINIMAL_V2 = Path.of("src/test/resources/catalog/minimal-v2");

  private CatalogFixtures() {}

  public static Catalog project() {
    return CatalogLoader.load(CatalogSource.directory(PROJECT));
  }

  public static Catalog minimal() {
    return CatalogLoader.load(CatalogSource.directory(MINIMAL));
  }

  public static Catalog minimalV2() {
    return CatalogLoader.load(CatalogSource.directory(MINIMAL_V2));
  }

  /** Copies a catalog into {@code target} so a test can change it. */
  public static Path copy(Path source, Path target) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces text in one file of a copied catalog; fails if the text is not there. */
  public static void edit(Path root, String file, String from, String to) {
    try {
      Path path = root.resolve(file);
      String text = Files.readString(path);
      if (!text.contains(from)) {
        throw new IllegalArgumentException(file + " does not contain: " + from);
      }
      Files.writeString(path, text.replace(from, to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(Path root, String file, String content) {
    try {
      Path path = root.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
