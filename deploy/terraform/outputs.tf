# What the frontend and operations need.

output "commands_topic" {
  description = "Full name of the topic the frontend publishes commands to."
  value       = google_pubsub_topic.commands.id
}

output "events_topic" {
  description = "Full name of the topic of the completion events."
  value       = google_pubsub_topic.events.id
}

output "frontend_events_subscription" {
  description = "Full name of the frontend's subscription to the completion events (null when not created)."
  value       = one(google_pubsub_subscription.frontend_events[*].id)
}

output "dlq_subscription" {
  description = "Full name of the dead-letter subscription (ops dlq list / replay)."
  value       = google_pubsub_subscription.dlq.id
}

output "worker_url" {
  description = "URL of the worker's admin API (needs roles/run.invoker and the admin key)."
  value       = google_cloud_run_v2_service.worker.uri
}

output "worker_service_account" {
  description = "Service account the worker runs as."
  value       = google_service_account.worker.email
}

output "image_repository" {
  description = "Artifact Registry path to push worker images to."
  value       = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}

output "firestore_database" {
  description = "Firestore database of the ledger."
  value       = google_firestore_database.ledger.name
}
