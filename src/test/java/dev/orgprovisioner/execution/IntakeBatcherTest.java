package dev.orgprovisioner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.testing.ClaimFaults;
import dev.orgprovisioner.testing.SharedEmulators;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batched claims against the Firestore emulator: one bad message never fails its batch. */
class IntakeBatcherTest {

  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          IntakeBatcherTest.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
  private static Firestore db;

  @BeforeAll
  static void connect() {
    db = SharedEmulators.firestoreClient();
  }

  @AfterAll
  static void close() throws Exception {
    db.close();
  }

  private static Intake.Incoming onboard(String id, String slug, String orderingKey) {
    Map<String, Object> data = MalformedCommands.onboardData(slug);
    return new Intake.Incoming(
        "msg-" + id,
        MalformedCommands.onboardAttributes(id),
        MalformedCommands.json(data),
        orderingKey);
  }

  @Test
  void batchWithADefectiveARefusedAndAnUndecodableCommand_onlyThoseFail_theRestAreEnqueued()
      throws Exception {
    ClaimFaults faults = new ClaimFaults();
    faults.brokenOrgs.add("broken_org");
    faults.refusedOrgs.add("refused_org");
    Ledger ledger = faults.around(SharedEmulators.freshLedger(db, "batch", Duration.ofSeconds(30)));
    List<Job> dispatched = new java.util.concurrent.CopyOnWriteArrayList<>();
    Intake intake =
        new Intake(
            DECODER,
            new Submission(
                ledger, new EventFactory("//tests"), Clock.systemUTC(), dispatched::add));

    try (IntakeBatcher batcher = new IntakeBatcher(intake, 100, Duration.ofSeconds(5), 1)) {
      faults.closeGate();
      CompletableFuture<IntakeDecision> first =
          batcher.submit(onboard("gate", "gate_org", "gate_org"));
      assertThat(faults.awaitHeld(30)).isTrue();

      Map<String, CompletableFuture<IntakeDecision>> results = new LinkedHashMap<>();
      List<String> valid = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String org = "ok_org_" + i;
        valid.add(org);
        results.put(org, batcher.submit(onboard("ok-" + i, org, org)));
        if (i == 5) {
          results.put("broken_org", batcher.submit(onboard("broken", "broken_org", "broken_org")));
          results.put(
              "refused_org", batcher.submit(onboard("refused", "refused_org", "refused_org")));
          results.put("slug\\n", batcher.submit(onboard("lf", "acme\n", "acme")));
        }
      }
      faults.open();

      assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(IntakeDecision.Enqueued.class);
      for (String org : valid) {
        assertThat(results.get(org).get(30, TimeUnit.SECONDS))
            .as(org)
            .isInstanceOf(IntakeDecision.Enqueued.class);
      }
      assertThat(results.get("broken_org"))
          .failsWithin(30, TimeUnit.SECONDS)
          .withThrowableOfType(ExecutionException.class)
          .withMessageContaining("injected");
      assertThat(results.get("refused_org").get(30, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(
              IntakeDecision.Reject.class,
              r -> assertThat(r.rejection().code()).isEqualTo(RejectionCode.LEDGER_REJECTED));
      assertThat(results.get("slug\\n").get(30, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(
              IntakeDecision.Reject.class,
              r -> {
                assertThat(r.rejection().code()).isEqualTo(RejectionCode.INVALID_SLUG);
                assertThat(r.rejection().field()).isEqualTo("data.org_slug");
              });
      // All 22 decodable commands were claimed in one transaction first, which failed.
      assertThat(faults.transactionSizes).contains(22);
      assertThat(dispatched).hasSize(21);
    }
  }
}
