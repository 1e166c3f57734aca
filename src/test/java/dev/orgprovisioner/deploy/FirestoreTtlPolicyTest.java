package dev.orgprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import dev.orgprovisioner.app.LedgerConfig;
import dev.orgprovisioner.app.NotifyConfig;
import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandEnvelope;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.ledger.FirestoreLedger;
import dev.orgprovisioner.ledger.FirestoreNotificationState;
import dev.orgprovisioner.notify.DeliveryStatus;
import dev.orgprovisioner.testing.SharedEmulators;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Terraform TTL policy sits on the field and collection where the real ledger writes an
 * idempotency key's expiry: a key is claimed on the Firestore emulator and read back.
 */
class FirestoreTtlPolicyTest {

  @Test
  void ttlPolicy_isOnTheExpiryFieldTheLedgerWritesToIdempotencyKeys() throws Exception {
    LedgerConfig config = DeploymentFilesTest.defaults(LedgerConfig.class);
    String testPrefix = "ttl" + UUID.randomUUID().toString().substring(0, 8) + "_";
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    Instant expected = now.plus(config.keyTtl());

    try (Firestore db = SharedEmulators.firestoreClient()) {
      FirestoreLedger ledger =
          new FirestoreLedger(
              db,
              new dev.orgprovisioner.ledger.LedgerSettings(
                  testPrefix,
                  config.keyTtl(),
                  config.leaseDuration(),
                  20,
                  Duration.ofSeconds(60),
                  config.jobRetention(),
                  config.outboxRetention()));
      ledger.claim(onboard("ttl_org"), now);

      // Every document the claim wrote, and which of its fields holds now + key TTL.
      List<String> expiryFields = new ArrayList<>();
      for (CollectionReference collection : db.listCollections()) {
        if (!collection.getId().startsWith(testPrefix)) {
          continue;
        }
        String unprefixed = collection.getId().substring(testPrefix.length());
        for (DocumentSnapshot doc : collection.get().get().getDocuments()) {
          for (Map.Entry<String, Object> field : doc.getData().entrySet()) {
            if (field.getValue() instanceof Timestamp t
                && t.toDate().toInstant().equals(expected)) {
              expiryFields.add(unprefixed + "." + field.getKey());
            }
          }
        }
      }

      assertThat(expiryFields).as("one field holds the key's expiry").hasSize(1);
      String[] written = expiryFields.get(0).split("\\.");
      Map<String, Object> ttl =
          Terraform.load().resource("google_firestore_field", "idempotency_key_ttl");
      assertThat(ttl.get("collection")).isEqualTo(config.collectionPrefix() + written[0]);
      assertThat(ttl.get("field")).isEqualTo(written[1]);
      assertThat(ttl).containsKey("ttl_config");
      assertThat(written[0]).isEqualTo("idempotency_keys");
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

  private static CommandEnvelope onboard(String org) {
    CommandDecoder decoder =
        CommandDecoder.fromClasspath(
            FirestoreTtlPolicyTest.class.getClassLoader(),
            CommandDecoder.DEFAULT_MAX_PAYLOAD_BYTES);
    return ((DecodeResult.Accepted)
            decoder.decode(
                MalformedCommands.onboardAttributes("ttl-" + UUID.randomUUID()),
                MalformedCommands.json(MalformedCommands.onboardData(org)),
                org))
        .envelope();
  }
}
