package dev.orgprovisioner.live;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.live.LiveCheckReport.Outcome;
import dev.orgprovisioner.live.LiveCheckReport.StepResult;
import dev.orgprovisioner.warehouse.bigquery.BigQueryStub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live check end to end against the BigQuery stub, through the host override. The three tests
 * of a passing check read one run (a run takes seconds); the failing check has a run of its own.
 */
class LiveCheckTest {

  private static final String PROJECT = "live-project";

  /** One check against a stub of its own: what it printed and reported. */
  private static final class Run implements AutoCloseable {
    final BigQueryStub stub = BigQueryStub.start();
    final LiveTarget target = LiveTarget.fresh(PROJECT, Optional.of(stub.host()), Map.of());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    LiveCheckReport run() {
      LiveCheckReport report = new LiveCheck(target, new PrintStream(out, true, UTF_8)).run();
      System.out.print(printed());
      return report;
    }

    String printed() {
      return out.toString(UTF_8);
    }

    String orgDataset() {
      return LiveWiring.orgDataset(target, OrgSlug.parse(target.org()));
    }

    @Override
    public void close() {
      stub.close();
    }
  }

  private static Run passing;
  private static LiveCheckReport passingReport;

  @BeforeAll
  static void runThePassingCheck() {
    passing = new Run();
    passingReport = passing.run();
  }

  @AfterAll
  static void stopItsStub() {
    passing.close();
  }

  @Test
  void bootstrapOnboardingNoOpSyncAndDriftCheckPassThenEveryDatasetIsDeleted() {
    LiveCheckReport report = passingReport;
    BigQueryStub stub = passing.stub;
    LiveTarget target = passing.target;
    String orgDataset = passing.orgDataset();

    assertThat(report.passed()).as(passing.printed()).isTrue();
    assertThat(report.steps())
        .extracting(StepResult::name)
        .containsExactly("bootstrap", "onboard", "sync (no-op)", "drift check", "clean-up");
    assertThat(orgDataset).isEqualTo(target.run() + "_local");
    // Everything the check created is gone; it deleted exactly its two datasets.
    assertThat(stub.dataset(PROJECT, target.centralDataset())).isNull();
    assertThat(stub.dataset(PROJECT, orgDataset)).isNull();
    assertThat(stub.requests("DELETE", ".*/datasets/.*"))
        .extracting(r -> r.path().substring(r.path().lastIndexOf('/') + 1))
        .containsExactlyInAnyOrder(target.centralDataset(), orgDataset);
    assertThat(step(report, "clean-up").detail())
        .isEqualTo("deleted " + target.centralDataset() + ", " + orgDataset);
  }

  @Test
  void everyCallTheStubReceivedIsCountedInTheStepThatMadeIt() {
    LiveCheckReport report = passingReport;
    BigQueryStub stub = passing.stub;

    int counted = report.steps().stream().mapToInt(s -> s.calls().calls()).sum();
    assertThat(counted).isEqualTo(stub.requests().size());
    assertThat(step(report, "bootstrap").calls().byKind())
        .containsEntry("datasets.insert", 1)
        .containsKey("tables.insert")
        .containsKey("jobs.insert");
    assertThat(step(report, "clean-up").calls().byKind()).containsEntry("datasets.delete", 2);
    // The no-op sync reads (snapshot, profile) and writes nothing.
    assertThat(step(report, "sync (no-op)").calls().byKind().keySet())
        .allMatch(
            kind -> kind.startsWith("jobs.") || kind.endsWith(".get") || kind.endsWith(".list"))
        .doesNotContain("datasets.insert", "tables.insert", "tables.patch");
    // Query jobs are counted with the bytes billed they report: the stub, like BigQuery, bills at
    // least 10 MiB a query.
    assertThat(step(report, "onboard").calls().jobs()).isPositive();
    assertThat(report.steps())
        .allSatisfy(
            s ->
                assertThat(s.calls().bytesBilled())
                    .isGreaterThanOrEqualTo(s.calls().jobs() * 10L * 1024 * 1024));
  }

  @Test
  void theTablePrintsCallsBytesBilledAndLatencyPerStepAndTheTotal() {
    LiveCheckReport report = passingReport;
    String out = passing.printed();
    BigQueryStub stub = passing.stub;
    LiveTarget target = passing.target;

    assertThat(out)
        .contains("Live BigQuery check: project " + PROJECT + " via " + stub.host())
        .contains("bq rm -r -f -d " + PROJECT + ":" + target.centralDataset())
        .containsPattern("step +result +latency +calls +jobs +bytes billed +retries")
        .containsPattern("\\nbootstrap +ok +[\\d,]+ ms +\\d+ +\\d+ +[\\d,]+ +0")
        .containsPattern("\\nsync \\(no-op\\) +ok +[\\d,]+ ms")
        .containsPattern("\\ntotal +ok +[\\d,]+ ms +" + total(report) + " ")
        .contains("sync (no-op): org.synced: nothing to apply")
        .contains("drift check: drift.check.completed: org SYNCED, central SYNCED")
        .doesNotContain("reported no bytes billed")
        .endsWith("Live BigQuery check passed.\n");
  }

  @Test
  void aFailedStepStopsTheSequenceAndTheDatasetsCreatedSoFarAreStillDeleted() {
    try (Run failing = new Run()) {
      BigQueryStub stub = failing.stub;
      LiveTarget target = failing.target;
      // Every table create in the org's dataset is refused: the onboarding fails half-way,
      // after its dataset was created.
      stub.fail(
          r -> r.is("POST", ".*/datasets/" + target.run() + "_local/tables"),
          1000,
          400,
          "invalid",
          "refused by the test");

      LiveCheckReport report = failing.run();

      assertThat(report.passed()).isFalse();
      assertThat(report.steps())
          .extracting(StepResult::outcome)
          .containsExactly(
              Outcome.OK, Outcome.FAILED, Outcome.NOT_RUN, Outcome.NOT_RUN, Outcome.OK);
      assertThat(step(report, "onboard").detail())
          .startsWith("org.onboarding.failed: ")
          .contains("refused");
      assertThat(stub.dataset(PROJECT, target.centralDataset())).isNull();
      assertThat(stub.dataset(PROJECT, failing.orgDataset())).isNull();
      assertThat(failing.printed())
          .containsPattern("\\nonboard +failed")
          .containsPattern("\\ndrift check +not run +- ")
          .contains("Live BigQuery check FAILED.");
    }
  }

  private static StepResult step(LiveCheckReport report, String name) {
    return report.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static int total(LiveCheckReport report) {
    return report.steps().stream().mapToInt(s -> s.calls().calls()).sum();
  }
}
