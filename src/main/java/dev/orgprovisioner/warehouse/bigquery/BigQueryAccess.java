package dev.orgprovisioner.warehouse.bigquery;

import com.google.api.client.http.HttpHeaders;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.Dataset;
import com.google.api.services.bigquery.model.DatasetAccessEntry;
import com.google.api.services.bigquery.model.DatasetReference;
import com.google.cloud.bigquery.BigQueryException;
import dev.orgprovisioner.plan.AccessEntry;
import dev.orgprovisioner.warehouse.Identifiers;
import dev.orgprovisioner.warehouse.Quota;
import dev.orgprovisioner.warehouse.QuotaGate;
import dev.orgprovisioner.warehouse.WarehouseException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A dataset's access list: read with {@code datasets.get}, changed with a {@code datasets.patch} of
 * the whole list conditional on the etag read ({@code If-Match}), so an entry someone else adds
 * meanwhile is never overwritten: the patch fails (412) and the change is made again on the new
 * list. Authorized datasets ({@code {"dataset": {"dataset": {...}, "targetTypes": ["VIEWS"]}}}) are
 * entries of the same list, changed the same way.
 */
final class BigQueryAccess {

  // Roles as the access list may name them: the legacy names, or IAM's when set through IAM.
  private static final Map<String, AccessEntry.Role> ROLES =
      Map.of(
          "READER", AccessEntry.Role.READER,
          "WRITER", AccessEntry.Role.WRITER,
          "OWNER", AccessEntry.Role.OWNER,
          "roles/bigquery.dataViewer", AccessEntry.Role.READER,
          "roles/bigquery.dataEditor", AccessEntry.Role.WRITER,
          "roles/bigquery.dataOwner", AccessEntry.Role.OWNER);

  private static final int ATTEMPTS = 5;

  private final BigQueryCalls calls;
  private final Bigquery rest;
  private final QuotaGate gate;

  BigQueryAccess(BigQueryCalls calls, Bigquery rest, QuotaGate gate) {
    this.calls = calls;
    this.rest = rest;
    this.gate = gate;
  }

  List<AccessEntry> entries(String dataset) {
    return read(dataset).entries();
  }

  void change(String dataset, Collection<AccessEntry> grant, Collection<AccessEntry> revoke) {
    update(
        dataset,
        current -> {
          Set<AccessEntry> have = Set.copyOf(current.entries());
          if (have.containsAll(grant) && revoke.stream().noneMatch(have::contains)) {
            return null;
          }
          List<Dataset.Access> list = new ArrayList<>();
          for (Dataset.Access a : current.list()) {
            AccessEntry e = entry(a);
            if (e == null || !revoke.contains(e)) {
              list.add(a);
            }
          }
          grant.stream()
              .filter(e -> !have.contains(e))
              .map(BigQueryAccess::access)
              .forEach(list::add);
          return list;
        });
  }

  /** The datasets of this project authorized on the dataset's access list (their views read it). */
  List<String> authorizedDatasets(String dataset) {
    return authorized(read(dataset).list());
  }

  void changeAuthorized(String dataset, Collection<String> authorize, Collection<String> revoke) {
    Set<String> add = ids(authorize);
    Set<String> remove = ids(revoke);
    update(
        dataset,
        current -> {
          Set<String> have = Set.copyOf(authorized(current.list()));
          if (have.containsAll(add) && remove.stream().noneMatch(have::contains)) {
            return null;
          }
          List<Dataset.Access> list = new ArrayList<>();
          for (Dataset.Access a : current.list()) {
            String other = authorizedId(a);
            if (other == null || !remove.contains(other)) {
              list.add(a);
            }
          }
          add.stream()
              .filter(d -> !have.contains(d))
              .sorted()
              .map(this::authorization)
              .forEach(list::add);
          return list;
        });
  }

  /**
   * Read-modify-write of the whole list under the etag; {@code change} answers the new list, or
   * null when the current one needs no change.
   */
  private void update(
      String dataset, java.util.function.Function<Read, List<Dataset.Access>> change) {
    for (int attempt = 1; ; attempt++) {
      Read current = read(dataset);
      List<Dataset.Access> list = change.apply(current);
      if (list == null || patched(dataset, list, current.etag())) {
        return;
      }
      if (attempt == ATTEMPTS) {
        throw new WarehouseException(
            WarehouseException.Kind.TRANSIENT,
            "the access list of " + dataset + " changed under each of " + ATTEMPTS + " updates");
      }
    }
  }

  private List<String> authorized(List<Dataset.Access> list) {
    return list.stream().map(this::authorizedId).filter(java.util.Objects::nonNull).toList();
  }

  /**
   * The dataset an entry authorizes when it is an authorized dataset of this project, else null.
   */
  private String authorizedId(Dataset.Access a) {
    DatasetAccessEntry entry = a.getDataset();
    if (entry == null || entry.getDataset() == null) {
      return null;
    }
    DatasetReference ref = entry.getDataset();
    return calls.project().equals(ref.getProjectId()) ? ref.getDatasetId() : null;
  }

  private Dataset.Access authorization(String datasetId) {
    return new Dataset.Access()
        .setDataset(
            new DatasetAccessEntry()
                .setDataset(
                    new DatasetReference().setProjectId(calls.project()).setDatasetId(datasetId))
                .setTargetTypes(List.of("VIEWS")));
  }

  private static Set<String> ids(Collection<String> datasets) {
    return datasets.stream().map(BigQueryAccess::id).collect(Collectors.toSet());
  }

  private record Read(List<Dataset.Access> list, List<AccessEntry> entries, String etag) {}

  private Read read(String dataset) {
    Dataset d =
        BigQueryCalls.call(
            "read the access list of " + dataset,
            () -> execute(() -> rest.datasets().get(calls.project(), id(dataset)).execute()));
    List<Dataset.Access> list = d.getAccess() == null ? List.of() : d.getAccess();
    List<AccessEntry> entries =
        list.stream()
            .map(BigQueryAccess::entry)
            .filter(java.util.Objects::nonNull)
            .collect(Collectors.toList());
    return new Read(list, entries, d.getEtag());
  }

  /** False when the list changed since it was read (412): read it again. */
  private boolean patched(String dataset, List<Dataset.Access> list, String etag) {
    try {
      // A shard's list takes every org of the shard: its updates are what the per-dataset
      // metadata quota (5 per 10 s) limits first.
      gate.acquire(Quota.DATASET_METADATA, dataset);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BigQueryErrors.interrupted("change the access list of " + dataset, e);
    }
    try {
      execute(
          () -> {
            Bigquery.Datasets.Patch patch =
                rest.datasets().patch(calls.project(), id(dataset), new Dataset().setAccess(list));
            if (etag != null) {
              patch.setRequestHeaders(new HttpHeaders().setIfMatch(etag));
            }
            return patch.execute();
          });
      return true;
    } catch (BigQueryException e) {
      if (e.getCode() == 412) {
        return false;
      }
      if (BigQueryErrors.isRateLimited(e)) {
        gate.rateLimited(Quota.DATASET_METADATA, dataset);
      }
      throw BigQueryErrors.map("change the access list of " + dataset, e);
    }
  }

  private static String id(String dataset) {
    return Identifiers.dataset(dataset);
  }

  /** The entry an access-list item is, or null when it is of a kind we never manage. */
  static AccessEntry entry(Dataset.Access a) {
    AccessEntry.Role role = a.getRole() == null ? null : ROLES.get(a.getRole());
    if (role == null) {
      return null;
    }
    if (a.getGroupByEmail() != null) {
      return new AccessEntry(AccessEntry.Kind.GROUP, a.getGroupByEmail(), role);
    }
    if (a.getUserByEmail() != null) {
      String email = a.getUserByEmail();
      AccessEntry.Kind kind =
          email.endsWith(".gserviceaccount.com")
              ? AccessEntry.Kind.SERVICE_ACCOUNT
              : AccessEntry.Kind.USER;
      return new AccessEntry(kind, email, role);
    }
    return null;
  }

  static Dataset.Access access(AccessEntry e) {
    Dataset.Access a = new Dataset.Access().setRole(e.role().name());
    return e.kind() == AccessEntry.Kind.GROUP
        ? a.setGroupByEmail(e.email())
        : a.setUserByEmail(e.email());
  }

  private interface Io<T> {
    T run() throws IOException;
  }

  private static <T> T execute(Io<T> call) {
    try {
      return call.run();
    } catch (IOException e) {
      throw new BigQueryException(e);
    }
  }
}
