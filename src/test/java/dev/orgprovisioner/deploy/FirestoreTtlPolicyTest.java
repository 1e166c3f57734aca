package dev.orgprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.app.LedgerConfig;
import dev.orgprovisioner.app.NotifyConfig;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.ledger.FirestoreNotificationState;
import dev.orgprovisioner.notify.DeliveryStatus;
import dev.orgprovisioner.testing.Envelopes;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.SharedEmulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The Terraform TTL policies sit on the fields and collections where the real ledger writes
 * expiries (idempotency keys, finished jobs, published events) and the notifier writes its markers:
 * documents are written on the Firestore emulator and read back.
 */
class FirestoreTtlPolicyTest {

  @Test
  void ttlPolicy_isOnTheExpiryFieldTheLedgerWritesToIdempotencyKeys() throws Exception {
    LedgerConfig config = DeploymentFilesTest.defaults(LedgerConfig.class);
    String testPrefix = "ttl" + UUID.randomUUID().toString().substring(0, 8) + "_";
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    Instant expected = now.plus(config.keyTtl());

    try (Firestore db = SharedEmulators.firestoreClient()) {
      FirestoreLedger ledger = ledger(db, testPrefix, config);
      ledger.claim(Envelopes.onboard("ttl_org", "ttl-" + UUID.randomUUID()), now);

      // Every document the claim wrote, and which of its fields holds now + key TTL.
      List<String> expiryFields = fieldsHolding(db, testPrefix, expected::equals);

      assertThat(expiryFields).as("one field holds the key's expiry").hasSize(1);
      assertThat(expiryFields.get(0)).startsWith("idempotency_keys.");
      assertTtlPolicy("idempotency_key_ttl", config, expiryFields.get(0));
    }
  }

  @Test
  void ttlPolicy_isOnTheExpiryFieldTheNotifierWritesToHandledMarkers() throws Exception {
    LedgerConfig ledger = DeploymentFilesTest.defaults(LedgerConfig.class);
    NotifyConfig notify = DeploymentFilesTest.defaults(NotifyConfig.class);
    String testPrefix = "ttl" + UUID.randomUUID().toString().substring(0, 8) + "_";
    Instant now = Instant.parse("2026-11-25T12:00:00Z");

    try (Firestore db = SharedEmulators.firestoreClient()) {
      new FirestoreNotificationState(db, testPrefix, notify.handledTtl(), Duration.ofSeconds(60))
          .markHandled("notification-1", DeliveryStatus.SENT, now);

      Map<String, Object> marker =
          db.collection(testPrefix + "notify_handled")
              .document("notification-1")
              .get()
              .get()
              .getData();
      Map<String, Object> ttl =
          Terraform.load().resource("google_firestore_field", "notify_handled_ttl");
      assertThat(ttl.get("collection")).isEqualTo(ledger.collectionPrefix() + "notify_handled");
      assertThat(ttl).containsKey("ttl_config");
      assertThat(marker.get(ttl.get("field")))
          .as("the TTL field holds now + notify.handled-ttl")
          .isEqualTo(Timestamp.of(java.util.Date.from(now.plus(notify.handledTtl()))));
    }
  }

  @Test
  void ttlPolicies_areOnTheExpiryFieldsOfFinishedJobsAndPublishedEvents_only() throws Exception {
    LedgerConfig config = DeploymentFilesTest.defaults(LedgerConfig.class);
    String testPrefix = "ttl" + UUID.randomUUID().toString().substring(0, 8) + "_";
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    Instant finishedAt = now.plusSeconds(5);

    try (Firestore db = SharedEmulators.firestoreClient()) {
      FirestoreLedger ledger = ledger(db, testPrefix, config);
      Job job =
          LedgerFixtures.acceptAndLease(ledger, Envelopes.onboard("ttl_org", "ttl-done"), "w", now);
      LedgerFixtures.accept(ledger, Envelopes.onboard("ttl_org", "ttl-waiting"), now);
      OutboxEvent event = LedgerFixtures.event("ev-ttl", "ttl_org", finishedAt);
      assertThat(ledger.finish(job.lease(), JobState.SUCCEEDED, null, event, finishedAt)).isTrue();
      ledger.storeEvents(List.of(LedgerFixtures.event("ev-unpublished", "ttl_org", finishedAt)));
      Instant before = Instant.now();
      ledger.markPublished(event.id());
      Instant after = Instant.now();

      List<String> jobExpiry =
          fieldsHolding(db, testPrefix, finishedAt.plus(config.jobRetention())::equals);
      // markPublished stamps its own clock: the expiry lies within the call.
      List<String> eventExpiry =
          fieldsHolding(
              db,
              testPrefix,
              t ->
                  !t.isBefore(before.plus(config.outboxRetention()))
                      && !t.isAfter(after.plus(config.outboxRetention())));

      assertThat(jobExpiry).containsExactly("jobs.expires_at");
      assertThat(eventExpiry)
          .as(
              "%s %s %s",
              before,
              after,
              db.collection(testPrefix + "outbox").get().get().getDocuments().stream()
                  .map(d -> d.getData())
                  .toList())
          .containsExactly("outbox.expires_at");
      assertTtlPolicy("job_ttl", config, jobExpiry.get(0));
      assertTtlPolicy("outbox_ttl", config, eventExpiry.get(0));
      // The waiting job and the unpublished event have no expiry: no policy deletes live work.
      assertThat(countWithField(db, testPrefix + "jobs", "expires_at")).isEqualTo(1);
      assertThat(countWithField(db, testPrefix + "outbox", "expires_at")).isEqualTo(1);
    }
  }

  private static FirestoreLedger ledger(Firestore db, String prefix, LedgerConfig config) {
    return new FirestoreLedger(
        db,
        new dev.orgprovisioner.ledger.LedgerSettings(
            prefix,
            config.keyTtl(),
            config.leaseDuration(),
            20,
            Duration.ofSeconds(60),
            config.jobRetention(),
            config.outboxRetention()));
  }

  /** The declared TTL policy {@code name} sits on {@code written} ("collection.field"). */
  private static void assertTtlPolicy(String name, LedgerConfig config, String written) {
    String[] parts = written.split("\\.");
    Map<String, Object> ttl = Terraform.load().resource("google_firestore_field", name);
    assertThat(ttl.get("collection")).isEqualTo(config.collectionPrefix() + parts[0]);
    assertThat(ttl.get("field")).isEqualTo(parts[1]);
    assertThat(ttl).containsKey("ttl_config");
  }

  /** "collection.field" (unprefixed) of every timestamp field under {@code prefix} that matches. */
  private static List<String> fieldsHolding(Firestore db, String prefix, Predicate<Instant> match)
      throws Exception {
    List<String> found = new ArrayList<>();
    for (CollectionReference collection : db.listCollections()) {
      if (!collection.getId().startsWith(prefix)) {
        continue;
      }
      String unprefixed = collection.getId().substring(prefix.length());
      for (DocumentSnapshot doc : collection.get().get().getDocuments()) {
        for (Map.Entry<String, Object> field : doc.getData().entrySet()) {
          if (field.getValue() instanceof Timestamp t
              && match.test(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()))) {
            found.add(unprefixed + "." + field.getKey());
          }
        }
      }
    }
    return found;
  }

  private static long countWithField(Firestore db, String collection, String field)
      throws Exception {
    return db.collection(collection).get().get().getDocuments().stream()
        .filter(d -> d.get(field) != null)
        .count();
  }
}
