# Identities and least-privilege grants. Pub/Sub roles are granted on the worker's own topics and
# subscriptions, never project-wide.

resource "google_service_account" "worker" {
  account_id   = "org-provisioner"
  display_name = "org-provisioner worker (${var.environment})"
}

# --- the worker -----------------------------------------------------------------------------

# Pulls commands; the admin API's DLQ listing and replay read the dead letters.
resource "google_pubsub_subscription_iam_member" "commands_subscriber_worker" {
  subscription = google_pubsub_subscription.commands.name
  role         = "roles/pubsub.subscriber"
  member       = local.worker
}

resource "google_pubsub_subscription_iam_member" "dlq_subscriber_worker" {
  subscription = google_pubsub_subscription.dlq.name
  role         = "roles/pubsub.subscriber"
  member       = local.worker
}

resource "google_pubsub_subscription_iam_member" "notifier_subscriber_worker" {
  count        = length(google_pubsub_subscription.notifier)
  subscription = google_pubsub_subscription.notifier[0].name
  role         = "roles/pubsub.subscriber"
  member       = local.worker
}

# Publishes completion events, rejected commands (to the DLQ), the nightly drift check and
# replayed dead letters (to the commands topic).
resource "google_pubsub_topic_iam_member" "events_publisher_worker" {
  topic  = google_pubsub_topic.events.name
  role   = "roles/pubsub.publisher"
  member = local.worker
}

resource "google_pubsub_topic_iam_member" "dlq_publisher_worker" {
  topic  = google_pubsub_topic.dlq.name
  role   = "roles/pubsub.publisher"
  member = local.worker
}

resource "google_pubsub_topic_iam_member" "commands_publisher_worker" {
  topic  = google_pubsub_topic.commands.name
  role   = "roles/pubsub.publisher"
  member = local.worker
}

# Firestore grants are project-level; the condition narrows this one to the ledger's database.
resource "google_project_iam_member" "datastore_user_worker" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = local.worker

  condition {
    title      = "ledger-database-only"
    expression = "resource.name == \"projects/${var.project_id}/databases/${var.firestore_database}\""
  }
}

# BigQuery at project level, on purpose: the worker creates a dataset per org
# (bigquery.datasets.create exists only at project level, and roles/bigquery.dataEditor has it),
# and the drift check reads region-wide INFORMATION_SCHEMA views, which need table metadata
# permissions on the project. dataOwner is not needed: the creator of a dataset is its owner, so
# the worker can update the datasets it made. Keep the blast radius small with a project of its own
# for the warehouse (bigquery_project_id).
resource "google_project_iam_member" "bigquery_data_editor_worker" {
  project = local.bigquery_project
  role    = "roles/bigquery.dataEditor"
  member  = local.worker
}

resource "google_project_iam_member" "bigquery_job_user_worker" {
  project = local.bigquery_project
  role    = "roles/bigquery.jobUser"
  member  = local.worker
}

resource "google_secret_manager_secret_iam_member" "admin_key_accessor_worker" {
  secret_id = google_secret_manager_secret.admin_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = local.worker
}

# --- the Pub/Sub service agent (dead-lettering) ---------------------------------------------

# Pub/Sub itself moves a message to the DLQ after max_delivery_attempts: its service agent must
# publish to the DLQ topic and acknowledge on the source subscription.
resource "google_pubsub_topic_iam_member" "dlq_publisher_pubsub_agent" {
  topic  = google_pubsub_topic.dlq.name
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "commands_subscriber_pubsub_agent" {
  subscription = google_pubsub_subscription.commands.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

# --- the frontend ---------------------------------------------------------------------------

resource "google_pubsub_topic_iam_member" "commands_publisher_frontend" {
  for_each = toset(var.frontend_members)
  topic    = google_pubsub_topic.commands.name
  role     = "roles/pubsub.publisher"
  member   = each.value
}

resource "google_pubsub_subscription_iam_member" "events_subscriber_frontend" {
  for_each     = toset(length(google_pubsub_subscription.frontend_events) == 0 ? [] : var.frontend_members)
  subscription = google_pubsub_subscription.frontend_events[0].name
  role         = "roles/pubsub.subscriber"
  member       = each.value
}

# --- operators (ops CLI, admin API) ---------------------------------------------------------

resource "google_pubsub_subscription_iam_member" "dlq_subscriber_operator" {
  for_each     = toset(var.operator_members)
  subscription = google_pubsub_subscription.dlq.name
  role         = "roles/pubsub.subscriber"
  member       = each.value
}

resource "google_pubsub_topic_iam_member" "commands_publisher_operator" {
  for_each = toset(var.operator_members)
  topic    = google_pubsub_topic.commands.name
  role     = "roles/pubsub.publisher"
  member   = each.value
}

resource "google_project_iam_member" "datastore_user_operator" {
  for_each = toset(var.operator_members)
  project  = var.project_id
  role     = "roles/datastore.user"
  member   = each.value

  condition {
    title      = "ledger-database-only"
    expression = "resource.name == \"projects/${var.project_id}/databases/${var.firestore_database}\""
  }
}

resource "google_cloud_run_v2_service_iam_member" "invoker_operator" {
  for_each = toset(var.operator_members)
  name     = google_cloud_run_v2_service.worker.name
  location = google_cloud_run_v2_service.worker.location
  role     = "roles/run.invoker"
  member   = each.value
}
