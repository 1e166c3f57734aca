package dev.orgprovisioner.bench;

import dev.orgprovisioner.catalog.Catalog;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.plan.PlanStep;
import dev.orgprovisioner.plan.Planner;
import dev.orgprovisioner.provisioning.Environment;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.ProvisioningSettings;
import dev.orgprovisioner.provisioning.RecordedDataset;
import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.warehouse.duckdb.DuckDbWarehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * Goal 17.1's baseline: the project catalog's DDL for N orgs (schema, tables, views, as the
 * embedded warehouse renders them) in a plain autocommit loop on one connection to a file-backed
 * DuckDB, with nothing else: no metadata, no snapshots, no central rows.
 */
public final class RawDdlBaseline {

  /**
   * Orgs, wall time of the loop, process CPU at each org (cumulative, ms) and the machine's speed
   * probed at the bounds of each window of orgs (NaN elsewhere).
   */
  public record Result(int orgs, long millis, long cpuMillis, long[] cpuAt, double[] probeAt) {

    public double orgsPerSecond() {
      return orgs * 1000.0 / Math.max(1, millis);
    }

    public double cpuMsPerOrg() {
      return (double) cpuMillis / orgs;
    }

    /** Process CPU per org over orgs {@code [from, to)}, in ms. */
    public double cpuMsPerOrg(int from, int to) {
      return (cpuAt[to] - cpuAt[from]) / (double) (to - from);
    }

    /** How much slower the machine ran over the last window than over the first. */
    public double machineSlowdown(int window) {
      return MachineSpeedProbe.slowdown(probeAt, window);
    }
  }

  private RawDdlBaseline() {}

  /**
   * Creates the catalog's central dataset, then {@code orgs} org datasets, in {@code file}, probing
   * the machine's speed at the bounds of each {@code window} of orgs.
   */
  public static Result run(Path file, int orgs, int window) {
    Catalog catalog = CatalogFixtures.project();
    ProvisioningService plans =
        new ProvisioningService(catalog, null, new ProvisioningSettings(Environment.LOCAL, "EU"));
    List<List<String>> ddl = new ArrayList<>();
    for (int i = 0; i < orgs; i++) {
      ddl.add(
          ddlOf(
              Planner.plan(
                  plans.desiredOrg(OrgSlug.parse(org(i)), RecordedDataset.NONE),
                  Optional.empty(),
                  DuckDbWarehouse::renderView)));
    }
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(Path.of(file + ".wal"));
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + file, new Properties());
        Statement st = c.createStatement()) {
      // The views read central tables: those exist before the measured loop, as in the worker.
      for (String sql :
          ddlOf(
              Planner.plan(
                  plans.desiredCentral(), Optional.empty(), DuckDbWarehouse::renderView))) {
        st.execute(sql);
      }
      long[] cpuAt = new long[orgs + 1];
      MachineSpeedProbe.Series probes = new MachineSpeedProbe.Series(orgs, window);
      long cpu0 = processCpuMillis();
      long t0 = System.nanoTime();
      for (int i = 0; i < orgs; i++) {
        for (String sql : ddl.get(i)) {
          st.execute(sql);
        }
        cpuAt[i + 1] = processCpuMillis() - cpu0 - probes.cpuMillis();
        long wall = System.nanoTime();
        probes.after(i + 1);
        t0 += System.nanoTime() - wall;
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      return new Result(orgs, millis, cpuAt[orgs], cpuAt, probes.values());
    } catch (SQLException e) {
      throw new IllegalStateException("raw DDL loop failed: " + e.getMessage(), e);
    }
  }

  /** The slug of the i-th org of a benchmark fleet. */
  static String org(int i) {
    return String.format("fleet_%05d", i);
  }

  /** CPU time of this JVM, DuckDB's native threads included, in ms. */
  static long processCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1_000_000;
  }

  private static List<String> ddlOf(dev.orgprovisioner.plan.Plan plan) {
    List<String> out = new ArrayList<>();
    for (PlanStep step : plan.steps()) {
      out.addAll(DuckDbWarehouse.ddl(step));
    }
    return out;
  }
}
