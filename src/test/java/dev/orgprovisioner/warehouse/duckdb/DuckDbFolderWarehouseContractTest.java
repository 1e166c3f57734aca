package dev.orgprovisioner.warehouse.duckdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The warehouse contract on a folder of dataset files with one idle dataset attached: nearly every
 * call attaches its datasets again, so what a detached dataset would lose shows up here.
 */
class DuckDbFolderWarehouseContractTest extends DuckDbWarehouseContractTest {

  @Override
  protected DuckDbWarehouse open() {
    try {
      return new DuckDbWarehouse(
          Files.createTempDirectory(
                  Files.createDirectories(java.nio.file.Path.of("target")), "contract-warehouse")
              .toString(),
          null,
          null,
          1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
