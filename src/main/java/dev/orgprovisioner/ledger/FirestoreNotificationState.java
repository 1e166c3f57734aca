package dev.orgprovisioner.ledger;

import com.google.api.core.ApiFuture;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.TransactionOptions;
import dev.orgprovisioner.notify.DeliveryStatus;
import dev.orgprovisioner.notify.NotificationState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Notification cooldowns and "already handled" markers in Firestore: {@code
 * <prefix>notify_cooldowns} (one document per org and rule, decided in a transaction, so two
 * instances never both fire a rule inside its cooldown) and {@code <prefix>notify_handled} (one
 * document per event, rule and channel, with {@code expires_at} for the TTL policy).
 */
public final class FirestoreNotificationState implements NotificationState {

  private final Firestore db;
  private final CollectionReference cooldowns;
  private final CollectionReference handled;
  private final Duration handledTtl;
  private final Duration callTimeout;

  public FirestoreNotificationState(
      Firestore db, String collectionPrefix, Duration handledTtl, Duration callTimeout) {
    this.db = db;
    this.cooldowns = db.collection(collectionPrefix + "notify_cooldowns");
    this.handled = db.collection(collectionPrefix + "notify_handled");
    this.handledTtl = handledTtl;
    this.callTimeout = callTimeout;
  }

  @Override
  public CooldownVerdict acquireCooldown(
      String org, String ruleId, String eventId, Instant now, Duration cooldown) {
    DocumentReference doc = cooldowns.document(id(org + "|" + ruleId));
    return call(
        "cooldown of " + org + "/" + ruleId,
        db.runTransaction(
            tx -> {
              DocumentSnapshot snap = tx.get(doc).get();
              Instant last =
                  snap.exists() && snap.getTimestamp("last_sent_at") != null
                      ? snap.getTimestamp("last_sent_at").toDate().toInstant()
                      : null;
              if (snap.exists() && eventId.equals(snap.getString("last_event_id"))) {
                return new CooldownVerdict(true, last);
              }
              if (last != null && !cooldown.isZero() && last.plus(cooldown).isAfter(now)) {
                return new CooldownVerdict(false, last);
              }
              Map<String, Object> data = new LinkedHashMap<>();
              data.put("org_slug", org);
              data.put("rule_id", ruleId);
              data.put("last_event_id", eventId);
              data.put("last_sent_at", ts(now));
              tx.set(doc, data);
              return new CooldownVerdict(true, last);
            },
            TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(10).build()));
  }

  @Override
  public Optional<DeliveryStatus> handled(String notificationId) {
    DocumentSnapshot snap =
        call("handled " + notificationId, handled.document(notificationId).get());
    if (!snap.exists() || snap.getString("status") == null) {
      return Optional.empty();
    }
    return Optional.of(DeliveryStatus.valueOf(snap.getString("status")));
  }

  @Override
  public void markHandled(String notificationId, DeliveryStatus status, Instant now) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", status.name());
    data.put("handled_at", ts(now));
    data.put("expires_at", ts(now.plus(handledTtl)));
    call("mark " + notificationId, handled.document(notificationId).set(data));
  }

  private <T> T call(String what, ApiFuture<T> future) {
    return LedgerStore.await(what, future, callTimeout);
  }

  private static String id(String text) {
    return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.ofTimeSecondsAndNanos(i.getEpochSecond(), i.getNano());
  }
}
