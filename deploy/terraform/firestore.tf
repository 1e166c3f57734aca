# Firestore (Native mode): the ledger's idempotency keys, jobs, locks and outbox.

resource "google_firestore_database" "ledger" {
  name        = var.firestore_database
  location_id = var.firestore_location
  type        = "FIRESTORE_NATIVE"

  # Point-in-time recovery: the ledger is the record of what was done.
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  deletion_policy                   = "ABANDON"

  depends_on = [google_project_service.enabled]
}

# Idempotency keys carry their expiry in `expires_at` (now + ledger.key-ttl, 7 days); the TTL
# policy deletes them afterwards (usually within 24 h of expiry; the ledger already treats an
# expired key as absent).
resource "google_firestore_field" "idempotency_key_ttl" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}idempotency_keys"
  field      = "expires_at"

  ttl_config {}

  # No single-field index on a timestamp written in increasing order: it is never queried and
  # such an index is a write hot spot.
  index_config {}
}

# Sweep: RUNNING jobs whose lease expired (state == RUNNING, lease_expires_at < now).
resource "google_firestore_index" "jobs_state_lease_expires_at" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}jobs"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }

  fields {
    field_path = "lease_expires_at"
    order      = "ASCENDING"
  }
}

# Sweep: due retries (state == QUEUED, next_attempt_at <= now, ordered by next_attempt_at).
resource "google_firestore_index" "jobs_state_next_attempt_at" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}jobs"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }

  fields {
    field_path = "next_attempt_at"
    order      = "ASCENDING"
  }
}

# Sweep, per priority: due QUEUED jobs of one priority, oldest first (state == QUEUED, priority == p,
# next_attempt_at <= now, order by next_attempt_at), so an urgent job is not hidden by a backlog.
resource "google_firestore_index" "jobs_state_priority_next_attempt_at" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}jobs"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }

  fields {
    field_path = "priority"
    order      = "ASCENDING"
  }

  fields {
    field_path = "next_attempt_at"
    order      = "ASCENDING"
  }
}

# The next waiting job of an org (lock_key == org, state == QUEUED). Two equality filters can be
# served by merging single-field indexes; the composite index keeps it one index scan.
resource "google_firestore_index" "jobs_lock_key_state" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}jobs"

  fields {
    field_path = "lock_key"
    order      = "ASCENDING"
  }

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
}

# Job listings for operations (`ops jobs list`, admin API): newest first (created_at, then the
# document id, both descending), filtered by state, by org, or by both. Unfiltered listings use the
# automatic single-field index on created_at.
resource "google_firestore_index" "jobs_state_created_at" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}jobs"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }

  fields {
    field_path = "created_at"
    order      = "DESCENDING"
  }
}

resource "google_firestore_index" "jobs_org_slug_created_at" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}jobs"

  fields {
    field_path = "org_slug"
    order      = "ASCENDING"
  }

  fields {
    field_path = "created_at"
    order      = "DESCENDING"
  }
}

resource "google_firestore_index" "jobs_org_slug_state_created_at" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}jobs"

  fields {
    field_path = "org_slug"
    order      = "ASCENDING"
  }

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }

  fields {
    field_path = "created_at"
    order      = "DESCENDING"
  }
}

# Finished jobs carry `expires_at` (finish time + ledger.job-retention, 30 days); the TTL policy
# deletes them afterwards. Queued and running jobs have no `expires_at` and are never deleted.
resource "google_firestore_field" "job_ttl" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}jobs"
  field      = "expires_at"

  ttl_config {}

  index_config {}
}

# The outbox relay's query: unpublished events, oldest first (published == false, by created_at).
resource "google_firestore_index" "outbox_published_created_at" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}outbox"

  fields {
    field_path = "published"
    order      = "ASCENDING"
  }

  fields {
    field_path = "created_at"
    order      = "ASCENDING"
  }
}

# An org's recent events for the operator console (ordering_key == org, newest first).
resource "google_firestore_index" "outbox_ordering_key_created_at" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}outbox"

  fields {
    field_path = "ordering_key"
    order      = "ASCENDING"
  }

  fields {
    field_path = "created_at"
    order      = "DESCENDING"
  }
}

# Published events carry `expires_at` (publish time + ledger.outbox-retention, 7 days); the TTL
# policy deletes them afterwards. Unpublished events have none and stay until published.
resource "google_firestore_field" "outbox_ttl" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}outbox"
  field      = "expires_at"

  ttl_config {}

  index_config {}
}

# The notifier marks each (event, rule, channel) it handled so a redelivered event is not sent
# twice; the markers carry `expires_at` (now + notify.handled-ttl) and are deleted after it.
resource "google_firestore_field" "notify_handled_ttl" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}notify_handled"
  field      = "expires_at"

  ttl_config {}

  index_config {}
}

# The fleet's quota windows (warehouse.bigquery.fleet-quotas): one small document per BigQuery
# table, dataset or per-user quota the workers paced, carrying `expires_at` (the end of its last
# window plus a day); the TTL policy deletes those of tables no longer touched.
resource "google_firestore_field" "quota_window_ttl" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}quota_windows"
  field      = "expires_at"

  ttl_config {}

  index_config {}
}

# The fleet's DML slots per BigQuery table (used beyond 20 worker instances): one small document
# per slot, carrying `expires_at` (its lease's end: the statement's deadline plus 30 s). A released
# slot is deleted at once; the TTL policy deletes those a crashed holder never released.
resource "google_firestore_field" "dml_slot_ttl" {
  database   = google_firestore_database.ledger.name
  collection = "${var.collection_prefix}dml_slots"
  field      = "expires_at"

  ttl_config {}

  index_config {}
}
