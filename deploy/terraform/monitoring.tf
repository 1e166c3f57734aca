# Alerts. Each display name has a section in ../README.md ("What each alert means").

# Commands that Pub/Sub gave up on after max_delivery_attempts, or that the intake rejected.
resource "google_monitoring_alert_policy" "dead_letters" {
  display_name          = "org-provisioner: dead letters waiting"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "DLQ subscription has undelivered messages"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.dlq.name}\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    content   = "Commands are in the dead-letter queue. Runbook: deploy/README.md, 'Dead letters waiting'."
    mime_type = "text/markdown"
  }
}

# The intake acks a command within seconds of claiming it: an old unacked command means no
# instance is pulling, or every instance is failing to take commands in (Firestore unreachable).
resource "google_monitoring_alert_policy" "commands_stuck" {
  display_name          = "org-provisioner: commands not taken in"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "Oldest unacked command older than 10 minutes"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.commands.name}\" AND metric.type = \"pubsub.googleapis.com/subscription/oldest_unacked_message_age\""
      comparison      = "COMPARISON_GT"
      threshold_value = 600
      duration        = "300s"
      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    content   = "Commands wait on the subscription unacked. Runbook: deploy/README.md, 'Commands not taken in'."
    mime_type = "text/markdown"
  }
}

# Every job that ends FAILED logs one "Job failed for good" line (execution.WorkerPool).
resource "google_logging_metric" "failed_jobs" {
  name   = "org_provisioner/failed_jobs"
  filter = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${google_cloud_run_v2_service.worker.name}\" AND (textPayload : \"Job failed for good\" OR jsonPayload.message : \"Job failed for good\")"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

resource "google_monitoring_alert_policy" "failed_jobs" {
  display_name          = "org-provisioner: jobs failed"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "A job ended FAILED"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND metric.type = \"logging.googleapis.com/user/${google_logging_metric.failed_jobs.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_SUM"
      }
    }
  }

  documentation {
    content   = "A provisioning job ended FAILED. Runbook: deploy/README.md, 'Jobs failed'."
    mime_type = "text/markdown"
  }
}

# No instance at all (a pull worker is "idle" to Cloud Run, so both states count): the service
# is down or its instances fail their probes in a loop.
resource "google_monitoring_alert_policy" "no_instance" {
  display_name          = "org-provisioner: no running instance"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "Instances (active or idle) below 1"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = \"${google_cloud_run_v2_service.worker.name}\" AND metric.type = \"run.googleapis.com/container/instance_count\""
      comparison      = "COMPARISON_LT"
      threshold_value = 1
      duration        = "300s"
      aggregations {
        alignment_period     = "60s"
        per_series_aligner   = "ALIGN_MAX"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    content   = "No instance of the worker is running. Runbook: deploy/README.md, 'No running instance'."
    mime_type = "text/markdown"
  }
}
