package dev.orgprovisioner.ledger;

import static dev.orgprovisioner.ledger.LedgerDocs.*;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.JobQueue.JobPage;
import dev.orgprovisioner.execution.port.JobQueue.JobQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading jobs in Firestore: one job, an ordered page of jobs, a count per state. */
final class FirestoreJobReads {

  private final LedgerStore store;

  FirestoreJobReads(LedgerStore store) {
    this.store = store;
  }

  Optional<Job> job(String jobId) {
    DocumentSnapshot doc = store.call("read job", store.jobs.document(jobId).get());
    return doc.exists() ? Optional.of(toJob(doc)) : Optional.empty();
  }

  /**
   * Newest first, the document id breaking ties; a page reads at most {@code limit + 1} documents
   * whatever the size of the collection.
   */
  JobPage jobs(JobQuery query) {
    Query q = store.jobs;
    if (query.state() != null) {
      q = q.whereEqualTo(STATE, query.state().name());
    }
    if (query.orgSlug() != null) {
      q = q.whereEqualTo(ORG_SLUG, query.orgSlug());
    }
    q =
        q.orderBy(CREATED_AT, Query.Direction.DESCENDING)
            .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING);
    if (query.cursor() != null) {
      JobOrder.Cursor after = JobOrder.decode(query.cursor());
      q = q.startAfter(ts(after.createdAt()), after.id());
    }
    List<Job> jobs = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        store.call("list jobs", q.limit(query.limit() + 1).get()).getDocuments()) {
      jobs.add(toJob(doc));
    }
    if (jobs.size() <= query.limit()) {
      return new JobPage(jobs, null);
    }
    List<Job> page = jobs.subList(0, query.limit());
    return new JobPage(page, JobOrder.cursorOf(page.get(page.size() - 1)));
  }

  long countJobs(JobState state) {
    return store
        .call("count jobs", store.jobs.whereEqualTo(STATE, state.name()).count().get())
        .getCount();
  }
}
