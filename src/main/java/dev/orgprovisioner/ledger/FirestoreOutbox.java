package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.ledger.LedgerDocs.*;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.LedgerRejectedException;
import dev.orgprovisioner.execution.port.Outbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The outbox in Firestore: events until published, then kept for the outbox retention. */
final class FirestoreOutbox implements Outbox {

  /** Firestore allows 500 writes per batch. */
  private static final int BATCH = 400;

  private final LedgerStore store;

  FirestoreOutbox(LedgerStore store) {
    this.store = store;
  }

  @Override
  public void storeEvents(List<OutboxEvent> events) {
    for (int i = 0; i < events.size(); i += BATCH) {
      WriteBatch batch = store.db.batch();
      for (OutboxEvent event : events.subList(i, Math.min(i + BATCH, events.size()))) {
        batch.set(store.outbox.document(event.id()), eventMap(event));
      }
      store.call("store " + events.size() + " event(s)", batch.commit());
    }
  }

  @Override
  public List<OutboxEvent> unpublished(int limit) {
    List<OutboxEvent> out = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        store
            .call(
                "list unpublished events",
                store.outbox.whereEqualTo(PUBLISHED, false).orderBy(CREATED_AT).limit(limit).get())
            .getDocuments()) {
      out.add(toEvent(doc));
    }
    return out;
  }

  @Override
  public List<OutboxEvent> recentOf(String orderingKey, int limit) {
    List<OutboxEvent> out = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        store
            .call(
                "list an org's events",
                store
                    .outbox
                    .whereEqualTo(ORDERING_KEY, orderingKey)
                    .orderBy(CREATED_AT, com.google.cloud.firestore.Query.Direction.DESCENDING)
                    .limit(limit)
                    .get())
            .getDocuments()) {
      out.add(toEvent(doc));
    }
    return out;
  }

  @Override
  public void markPublished(String eventId) {
    Instant now = Instant.now();
    try {
      store.call(
          "mark event published",
          store
              .outbox
              .document(eventId)
              .update(
                  Map.of(
                      PUBLISHED,
                      true,
                      PUBLISHED_AT,
                      ts(now),
                      // The TTL policy (deploy/terraform) deletes it after the retention.
                      EXPIRES_AT,
                      ts(now.plus(store.settings.outboxRetention())))));
    } catch (LedgerRejectedException e) {
      // Already gone (expired after an earlier publish): nothing is left to mark.
      if (!LedgerStore.notFound(e)) {
        throw e;
      }
    }
  }

  @Override
  public Optional<OutboxEvent> event(String eventId) {
    DocumentSnapshot doc = store.call("read event", store.outbox.document(eventId).get());
    return doc.exists() ? Optional.of(toEvent(doc)) : Optional.empty();
  }
}
