# Inputs. Names of topics, subscriptions and collections default to the worker's own defaults
# (MessagingConfig, LedgerConfig); DeploymentFilesTest fails when they drift apart.

variable "project_id" {
  description = "GCP project of this environment (Pub/Sub, Firestore, Cloud Run, BigQuery)."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run service and the Artifact Registry repository."
  type        = string
  default     = "europe-west1"
}

variable "environment" {
  description = "Deployment environment; part of every org dataset name ({org}_{env})."
  type        = string

  validation {
    condition     = contains(["stage", "prod"], var.environment)
    error_message = "environment must be stage or prod (local is for ./run-local only)."
  }
}

variable "image_tag" {
  description = "Tag of the worker image in the Artifact Registry repository (e.g. the git commit)."
  type        = string
}

variable "bigquery_project_id" {
  description = "Project holding the org datasets and running the queries; null means project_id."
  type        = string
  default     = null
}

variable "warehouse_location" {
  description = "BigQuery location of new datasets when a command names none."
  type        = string
  default     = "EU"
}

variable "firestore_location" {
  description = "Firestore location (eur3 sits with the EU multi-region of BigQuery)."
  type        = string
  default     = "eur3"
}

variable "firestore_database" {
  description = "Firestore database id (ledger.database-id)."
  type        = string
  default     = "(default)"
}

variable "collection_prefix" {
  description = "Prefix of the ledger's Firestore collections (ledger.collection-prefix)."
  type        = string
  default     = "provisioner_"
}

variable "commands_topic" {
  description = "Topic the frontend publishes commands to (messaging.commands-topic)."
  type        = string
  default     = "provisioning-commands"
}

variable "commands_subscription" {
  description = "Subscription the worker pulls commands from (messaging.commands-subscription)."
  type        = string
  default     = "provisioning-commands-worker"
}

variable "dlq_topic" {
  description = "Dead-letter topic of the commands (messaging.dlq-topic)."
  type        = string
  default     = "provisioning-commands-dlq"
}

variable "dlq_subscription" {
  description = "Subscription that keeps the dead letters for inspection and replay (messaging.dlq-subscription)."
  type        = string
  default     = "provisioning-commands-dlq-sub"
}

variable "events_topic" {
  description = "Topic of the completion events (messaging.events-topic)."
  type        = string
  default     = "provisioning-events"
}

variable "max_delivery_attempts" {
  description = "Deliveries of a command before Pub/Sub dead-letters it (messaging.max-delivery-attempts)."
  type        = number
  default     = 5
}

variable "notifier_subscription" {
  description = "Subscription on the events topic from which the worker sends notifications; empty string for none."
  type        = string
  default     = "provisioning-events-notifier"
}

variable "frontend_events_subscription" {
  description = "Subscription on the events topic for the frontend's listener; empty string for none."
  type        = string
  default     = "provisioning-events-frontend"
}

variable "frontend_members" {
  description = "IAM members of the frontend (e.g. serviceAccount:web@p.iam.gserviceaccount.com): publish commands, read events."
  type        = list(string)
  default     = []
}

variable "operator_members" {
  description = "IAM members who run the ops CLI and call the admin API (e.g. group:platform-oncall@example.com)."
  type        = list(string)
  default     = []
}

variable "admin_key_secret_id" {
  description = "Secret Manager secret holding the SHA-256 hex of the admin API key (admin.api-key-sha256)."
  type        = string
  default     = "org-provisioner-admin-key-sha256"
}

variable "min_instances" {
  description = "Instances always running; at least 1, since a pull subscriber must keep running."
  type        = number
  default     = 1

  validation {
    condition     = var.min_instances >= 1
    error_message = "min_instances must be at least 1: with none, nobody pulls the commands."
  }
}

variable "max_instances" {
  description = "Upper bound of instances (Cloud Run scales a pull worker on CPU)."
  type        = number
  default     = 3
}

variable "cpu" {
  description = "CPU limit of one instance."
  type        = string
  default     = "1"
}

variable "memory" {
  description = "Memory limit of one instance (the JVM takes 75 % of it as heap)."
  type        = string
  default     = "1Gi"
}

variable "alert_notification_channels" {
  description = "Monitoring notification channel ids the alert policies notify."
  type        = list(string)
  default     = []
}
