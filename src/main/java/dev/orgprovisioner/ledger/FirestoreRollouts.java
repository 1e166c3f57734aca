package dev.orgprovisioner.ledger;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.orgprovisioner.rollout.Rollout;
import dev.orgprovisioner.rollout.port.RolloutRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Roll-outs in Firestore: one document each, written in a transaction that checks its revision. */
public final class FirestoreRollouts implements RolloutRecords {

  private static final String JSON_FIELD = "rollout";
  private static final String REVISION = "revision";
  private static final String CREATED_AT = "created_at";
  private static final String STATUS = "status";

  private final LedgerStore store;

  public FirestoreRollouts(LedgerStore store) {
    this.store = store;
  }

  @Override
  public Optional<Rollout> get(String id) {
    DocumentSnapshot doc = store.call("read roll-out", store.rollouts.document(id).get());
    return doc.exists() ? Optional.of(read(doc)) : Optional.empty();
  }

  @Override
  public List<Rollout> list(int limit) {
    List<Rollout> out = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        store
            .call(
                "list roll-outs",
                store.rollouts.orderBy(CREATED_AT, Query.Direction.DESCENDING).limit(limit).get())
            .getDocuments()) {
      out.add(read(doc));
    }
    return out;
  }

  @Override
  public boolean create(Rollout rollout) {
    DocumentReference ref = store.rollouts.document(rollout.id());
    return store.transaction(
        "create roll-out",
        tx -> {
          if (tx.get(ref).get().exists()) {
            return false;
          }
          tx.create(ref, doc(rollout, 1));
          return true;
        });
  }

  @Override
  public boolean update(Rollout rollout) {
    DocumentReference ref = store.rollouts.document(rollout.id());
    return store.transaction(
        "update roll-out",
        tx -> {
          DocumentSnapshot doc = tx.get(ref).get();
          Long stored = doc.exists() ? doc.getLong(REVISION) : null;
          if (stored == null || stored != rollout.revision()) {
            return false;
          }
          tx.set(ref, doc(rollout, rollout.revision() + 1));
          return true;
        });
  }

  private static Map<String, Object> doc(Rollout rollout, long revision) {
    return Map.of(
        JSON_FIELD,
        RolloutCodec.write(rollout),
        REVISION,
        revision,
        STATUS,
        rollout.status().name(),
        CREATED_AT,
        Timestamp.ofTimeSecondsAndNanos(
            rollout.createdAt().getEpochSecond(), rollout.createdAt().getNano()));
  }

  private static Rollout read(DocumentSnapshot doc) {
    return RolloutCodec.read(doc.getString(JSON_FIELD), doc.getLong(REVISION));
  }
}
