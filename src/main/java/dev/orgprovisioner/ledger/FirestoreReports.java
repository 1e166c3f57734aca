package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.ledger.LedgerDocs.*;

import com.google.cloud.firestore.DocumentSnapshot;
import dev.orgprovisioner.execution.port.Reports;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Named reports in Firestore, one document each. */
final class FirestoreReports implements Reports {

  private final LedgerStore store;

  FirestoreReports(LedgerStore store) {
    this.store = store;
  }

  @Override
  public void saveReport(String name, String json, Instant at) {
    store.call(
        "save report " + name,
        store.reports.document(name).set(Map.of(JSON, json, SAVED_AT, ts(at))));
  }

  @Override
  public Optional<String> report(String name) {
    DocumentSnapshot doc = store.call("read report " + name, store.reports.document(name).get());
    return doc.exists() ? Optional.ofNullable(doc.getString(JSON)) : Optional.empty();
  }
}
