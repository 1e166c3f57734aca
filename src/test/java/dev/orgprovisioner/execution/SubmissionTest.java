package dev.orgprovisioner.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.command.RejectionCode;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.provisioning.InternalCommands;
import dev.orgprovisioner.testing.ClaimFaults;
import dev.orgprovisioner.testing.LedgerFixtures;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The submission use case against the in-memory ledger (same contract as Firestore). */
class SubmissionTest {

  private static final CommandDecoder DECODER =
      CommandDecoder.fromClasspath(
          SubmissionTest.class.getClassLoader(), CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);

  private final ClaimFaults faults = new ClaimFaults();
  private final List<Job> dispatched = new CopyOnWriteArrayList<>();
  private Submission submission;

  @BeforeEach
  void setUp() {
    Ledger ledger = faults.around(LedgerFixtures.inMemory(Duration.ofSeconds(30)));
    submission =
        new Submission(ledger, new EventFactory("//tests"), Clock.systemUTC(), dispatched::add);
  }

  private static CommandEnvelope sync(String org, String key) {
    return InternalCommands.sync(
        OrgSlug.parse(org),
        UUID.randomUUID().toString(),
        "//tests",
        key,
        Clock.systemUTC().instant());
  }

  private static CommandEnvelope onboard(String id, String companyName) {
    java.util.Map<String, Object> data = MalformedCommands.onboardData("acme");
    data.put("company_name", companyName);
    DecodeResult decoded =
        DECODER.decode(
            MalformedCommands.onboardAttributes(id), MalformedCommands.json(data), "acme");
    return ((DecodeResult.Accepted) decoded).envelope();
  }

  @Test
  void newCommand_createsAJob_andDispatchesItOnce() {
    IntakeDecision decision = submission.submit(sync("acme", "k-new"));

    assertThat(decision).isInstanceOf(IntakeDecision.Enqueued.class);
    assertThat(dispatched)
        .singleElement()
        .extracting(Job::id)
        .isEqualTo(((IntakeDecision.Enqueued) decision).job().id());
  }

  @Test
  void sameKeyAgain_isAlreadyInFlight_andDispatchesNothing() {
    CommandEnvelope first = sync("acme", "k-dup");
    submission.submit(first);

    IntakeDecision again = submission.submit(first);

    assertThat(again).isInstanceOf(IntakeDecision.AlreadyInFlight.class);
    assertThat(dispatched).hasSize(1);
  }

  @Test
  void sameKeyForAnotherPayload_isRejectedAsReused() {
    submission.submit(onboard("k-reused", "Acme Inc"));

    IntakeDecision other = submission.submit(onboard("k-reused", "Acme Corporation"));

    assertThat(other)
        .isInstanceOfSatisfying(
            IntakeDecision.Reject.class,
            r -> {
              assertThat(r.rejection().code()).isEqualTo(RejectionCode.IDEMPOTENCY_KEY_REUSED);
              assertThat(r.event().type()).isEqualTo(Intake.REJECTED_EVENT);
            });
  }

  @Test
  void loneCommandTheLedgerRefuses_isRejectedWithTheReason_andARejectedEvent() {
    faults.refusedOrgs.add("refused_org");

    IntakeDecision decision = submission.submit(sync("refused_org", "k-refused"));

    assertThat(decision)
        .isInstanceOfSatisfying(
            IntakeDecision.Reject.class,
            r -> {
              assertThat(r.rejection().code()).isEqualTo(RejectionCode.LEDGER_REJECTED);
              assertThat(r.rejection().field()).isEqualTo("data");
              assertThat(r.rejection().message()).contains("INVALID_ARGUMENT");
              assertThat(r.event().type()).isEqualTo(Intake.REJECTED_EVENT);
              assertThat(r.event().data()).contains("LEDGER_REJECTED");
            });
    assertThat(dispatched).isEmpty();
  }

  @Test
  void batchWithACommandTheLedgerRefuses_isThrown_soTheCallerCanSplitIt() {
    faults.refusedOrgs.add("refused_org");
    CommandEnvelope good = sync("acme", "k-good");
    CommandEnvelope bad = sync("refused_org", "k-bad");

    assertThatThrownBy(
            () ->
                submission.submitAll(
                    List.of(
                        new Submission.Submitted(good, "m1", good.attributes()),
                        new Submission.Submitted(bad, "m2", bad.attributes()))))
        .isInstanceOf(LedgerRejectedException.class);
    assertThat(dispatched).isEmpty();
  }
}
