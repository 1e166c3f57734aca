package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.execution.JobResult;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.testing.AttemptsStepLog;
import dev.orgprovisioner.testing.EventSchemas;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An org's principals on its dataset, from onboarding and sync: granted, recorded, revoked when
 * dropped, re-applied when removed by hand, merged with entries others manage, and only ever of the
 * org's own domains.
 */
class AccessGrantJobTest {

  private static final AccessEntry ANALYSTS =
      AccessEntry.parse("group:analysts@acme.example", AccessEntry.Role.READER);
  private static final AccessEntry ETL =
      AccessEntry.parse("user:etl@acme.example", AccessEntry.Role.WRITER);
  private static final AccessEntry FOREIGN =
      AccessEntry.parse("user:terraform@platform.example", AccessEntry.Role.OWNER);

  private final JobHarness harness = new JobHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  private static Map<String, Object> grant(AccessEntry e) {
    return Map.of("principal", e.principal(), "role", e.role().name().toLowerCase());
  }

  private JobResult onboard(String org, List<AccessEntry> access) {
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("access", access.stream().map(AccessGrantJobTest::grant).toList());
    return harness.runToSuccess(
        JobHarness.job(CommandType.ONBOARD, org, data), new AttemptsStepLog());
  }

  private JobResult sync(String org, List<AccessEntry> access) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("org_slug", org);
    data.put("options", Map.of());
    if (access != null) {
      data.put("access", access.stream().map(AccessGrantJobTest::grant).toList());
    }
    return harness.runToSuccess(JobHarness.job(CommandType.SYNC, org, data), new AttemptsStepLog());
  }

  private List<AccessEntry> entries(String org) {
    return harness.duck.accessEntries(org + "_local");
  }

  @Test
  void onboarding_grantsTheOrgsPrincipals_andRecordsThem() {
    String org = JobHarness.unique("grants");

    JobResult result = onboard(org, List.of(ANALYSTS));

    assertThat(EventSchemas.violations("org.onboarded", EventFactory.json(result.data())))
        .isEmpty();
    assertThat(entries(org)).containsExactly(ANALYSTS);
    assertThat(AccessGrants.recorded(harness.service.profile(OrgSlug.parse(org)).orElseThrow()))
        .containsExactly(ANALYSTS);
  }

  @Test
  void sync_withANewList_revokesWhatItDrops_andKeepsEntriesOthersManage() {
    String org = JobHarness.unique("grants");
    onboard(org, List.of(ANALYSTS));
    harness.duck.changeAccess(org + "_local", List.of(FOREIGN), List.of());

    JobResult result = sync(org, List.of(ETL));

    assertThat(EventSchemas.violations("org.synced", EventFactory.json(result.data()))).isEmpty();
    assertThat(JobHarness.data(result))
        .containsEntry("access_granted", List.of(ETL.principal()))
        .containsEntry("access_revoked", List.of(ANALYSTS.principal()));
    assertThat(entries(org)).containsExactlyInAnyOrder(ETL, FOREIGN);
    assertThat(AccessGrants.recorded(harness.service.profile(OrgSlug.parse(org)).orElseThrow()))
        .containsExactly(ETL);
  }

  @Test
  void syncWithoutAList_putsBackAGrantRemovedByHand() {
    String org = JobHarness.unique("grants");
    onboard(org, List.of(ANALYSTS));
    harness.duck.changeAccess(org + "_local", List.of(), List.of(ANALYSTS));

    JobResult result = sync(org, null);

    assertThat(JobHarness.data(result))
        .containsEntry("access_granted", List.of(ANALYSTS.principal()));
    assertThat(entries(org)).containsExactly(ANALYSTS);
  }

  @Test
  void driftCheck_findsAGrantRemovedByHand_andItsRepairPutsItBack() {
    String org = JobHarness.unique("grants");
    onboard(org, List.of(ANALYSTS));
    harness.duck.changeAccess(org + "_local", List.of(), List.of(ANALYSTS));
    DriftChecker checker =
        new DriftChecker(
            harness.service,
            harness.ledger,
            new EventFactory("//test"),
            java.time.Clock.systemUTC(),
            new DriftChecker.Settings(50, 10));

    Map<String, Object> summary =
        checker.run(
            JobHarness.driftCheck(),
            new dev.orgprovisioner.command.Command.DriftCheck(List.of(), true));

    assertThat(summary).containsEntry("repairs_queued", 1);
    assertThat(harness.ledger.unpublished(100))
        .filteredOn(e -> e.type().equals("drift.detected"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.data()).contains("\"missing_grants\":[\"" + ANALYSTS.principal()));
    var repair = harness.ledger.jobs(dev.orgprovisioner.execution.JobState.QUEUED, org, 10).get(0);
    harness.runToSuccess(JobHarness.running(repair), new AttemptsStepLog());
    assertThat(entries(org)).containsExactly(ANALYSTS);
  }

  @Test
  void anotherOrgsPrincipal_isRefusedWithTheEntry_andNothingIsCreated() {
    String org = JobHarness.unique("grants");

    assertThatThrownBy(
            () ->
                onboard(
                    org,
                    List.of(
                        ANALYSTS,
                        AccessEntry.parse("user:eve@globex.example", AccessEntry.Role.READER))))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("ACCESS_PRINCIPAL_NOT_ALLOWED");
              assertThat(e.error().message()).contains("data.access[1].principal");
            });
    assertThat(harness.duck.freshSnapshot(org + "_local")).isEmpty();
    assertThat(harness.service.profile(OrgSlug.parse(org))).isEmpty();
  }

  @Test
  void aDryRunWithAnotherOrgsPrincipal_failsLikeTheOnboardingWould_namingTheField() {
    String org = JobHarness.unique("grants");
    Map<String, Object> data = MalformedCommands.onboardData(org);
    data.put("dry_run", true);
    data.put(
        "access",
        List.of(grant(AccessEntry.parse("user:eve@globex.example", AccessEntry.Role.READER))));

    assertThatThrownBy(
            () ->
                harness.runToSuccess(
                    JobHarness.job(CommandType.ONBOARD, org, data), new AttemptsStepLog()))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("ACCESS_PRINCIPAL_NOT_ALLOWED");
              assertThat(OnboardingPlanner.conflictField(e.error().code()))
                  .isEqualTo("data.access");
            });
  }

  @Test
  void aSyncGrantingAnotherOrgsPrincipal_changesNothing() {
    String org = JobHarness.unique("grants");
    onboard(org, List.of(ANALYSTS));

    assertThatThrownBy(
            () ->
                sync(
                    org,
                    List.of(
                        AccessEntry.parse("group:all@globex.example", AccessEntry.Role.WRITER))))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.error().code()).isEqualTo("ACCESS_PRINCIPAL_NOT_ALLOWED"));
    assertThat(entries(org)).containsExactly(ANALYSTS);
  }
}
