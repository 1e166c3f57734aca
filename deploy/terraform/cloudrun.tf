# The worker on Cloud Run: always running (a pull subscriber has no requests to wake it), CPU
# always allocated, health probes from Quarkus SmallRye Health, configuration as environment
# variables (config key messaging.commands-topic = env MESSAGING_COMMANDS_TOPIC).

# The secret holds the SHA-256 hex of the admin API key; its value is added with gcloud, never
# through Terraform (it would land in the state). See ../README.md, "First deploy".
resource "google_secret_manager_secret" "admin_key" {
  secret_id = var.admin_key_secret_id
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.enabled]
}

resource "google_cloud_run_v2_service" "worker" {
  name     = "org-provisioner"
  location = var.region
  labels   = local.labels

  # Reachable with a Google identity that has roles/run.invoker (operator_members) and, inside,
  # the admin key; no allUsers invoker is granted.
  ingress = "INGRESS_TRAFFIC_ALL"

  template {
    service_account = google_service_account.worker.email
    labels          = local.labels

    # Admin calls such as a dry-run plan of a large org may take a while; commands never come
    # through HTTP.
    timeout                          = "300s"
    max_instance_request_concurrency = 20

    scaling {
      min_instance_count = var.min_instances
      max_instance_count = var.max_instances
    }

    containers {
      image = local.image

      ports {
        container_port = 8080
      }

      resources {
        limits = {
          cpu    = var.cpu
          memory = var.memory
        }
        # CPU always allocated: the subscriber, worker pool, sweeps and heartbeats run between
        # requests. Throttled CPU would stall leases and let other instances take jobs over.
        cpu_idle          = false
        startup_cpu_boost = true
      }

      env {
        name  = "PROVISIONER_ENV"
        value = var.environment
      }
      env {
        name  = "WAREHOUSE_KIND"
        value = "bigquery"
      }
      env {
        name  = "WAREHOUSE_LOCATION"
        value = var.warehouse_location
      }
      env {
        name  = "WAREHOUSE_BIGQUERY_PROJECT_ID"
        value = local.bigquery_project
      }
      env {
        # Each instance paces 1 / n of BigQuery's requests per second per method.
        name  = "WAREHOUSE_BIGQUERY_FLEET_INSTANCES"
        value = var.max_instances
      }
      env {
        name  = "MESSAGING_PROJECT_ID"
        value = var.project_id
      }
      env {
        name  = "MESSAGING_COMMANDS_TOPIC"
        value = google_pubsub_topic.commands.name
      }
      env {
        name  = "MESSAGING_COMMANDS_SUBSCRIPTION"
        value = google_pubsub_subscription.commands.name
      }
      env {
        name  = "MESSAGING_DLQ_TOPIC"
        value = google_pubsub_topic.dlq.name
      }
      env {
        name  = "MESSAGING_DLQ_SUBSCRIPTION"
        value = google_pubsub_subscription.dlq.name
      }
      env {
        name  = "MESSAGING_EVENTS_TOPIC"
        value = google_pubsub_topic.events.name
      }
      env {
        # Terraform owns the topology in the cloud; the worker never creates it there.
        name  = "MESSAGING_CREATE_TOPOLOGY"
        value = "false"
      }
      env {
        name  = "MESSAGING_MAX_DELIVERY_ATTEMPTS"
        value = var.max_delivery_attempts
      }
      env {
        name  = "LEDGER_PROJECT_ID"
        value = var.project_id
      }
      env {
        name  = "LEDGER_DATABASE_ID"
        value = google_firestore_database.ledger.name
      }
      env {
        name  = "LEDGER_COLLECTION_PREFIX"
        value = var.collection_prefix
      }
      env {
        # Cloud Run kills an instance 10 s after SIGTERM. Jobs still running then are resumed by
        # another instance once their lease expires (ledger.lease-duration, 90 s): steps are
        # idempotent, so nothing is lost or done twice.
        name  = "EXECUTION_SHUTDOWN_GRACE"
        value = "5s"
      }
      env {
        # Messages taken in but not yet claimed are nacked within this (then redelivered).
        name  = "MP_MESSAGING_INCOMING_COMMANDS_SHUTDOWN_TIMEOUT"
        value = "3s"
      }
      env {
        name = "ADMIN_API_KEY_SHA256"
        value_source {
          secret_key_ref {
            secret  = google_secret_manager_secret.admin_key.secret_id
            version = "latest"
          }
        }
      }

      # Started: Quarkus is up and serves HTTP (the JVM start takes a few seconds; up to 2 min).
      startup_probe {
        http_get {
          path = "/q/health/started"
          port = 8080
        }
        initial_delay_seconds = 0
        period_seconds        = 5
        timeout_seconds       = 3
        failure_threshold     = 24
      }

      # Live: the JVM answers. Not readiness: a Firestore or BigQuery outage must not restart
      # every instance (readiness, /q/health/ready, is for people and uptime checks).
      liveness_probe {
        http_get {
          path = "/q/health/live"
          port = 8080
        }
        period_seconds    = 30
        timeout_seconds   = 5
        failure_threshold = 3
      }
    }
  }

  traffic {
    type    = "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST"
    percent = 100
  }

  depends_on = [
    google_secret_manager_secret_iam_member.admin_key_accessor_worker,
    google_project_iam_member.datastore_user_worker,
    google_pubsub_subscription_iam_member.commands_subscriber_worker,
  ]
}
