# Pub/Sub: commands in, dead letters kept, events out. Settings mirror what the worker creates by
# itself in local runs (messaging.PubSubTopology); DeploymentFilesTest compares the two.

resource "google_pubsub_topic" "commands" {
  name       = var.commands_topic
  labels     = local.labels
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic" "dlq" {
  name       = var.dlq_topic
  labels     = local.labels
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic" "events" {
  name       = var.events_topic
  labels     = local.labels
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_subscription" "commands" {
  name   = var.commands_subscription
  topic  = google_pubsub_topic.commands.id
  labels = local.labels

  # The intake acks once the command is claimed in Firestore (jobs run after the ack); its longest
  # step is holding a command while Firestore is unreachable (messaging.intake-retry-window-seconds,
  # 30 s). The client extends the deadline while a message is held, so 60 s leaves room for a
  # missed extension.
  ack_deadline_seconds = 60

  # Commands of one org (ordering key = org slug) are delivered in order.
  enable_message_ordering = true

  # Acks are confirmed by the server: an acked command is not delivered again, so a redelivery
  # only happens after a nack, a crash or an expired deadline (the ledger's idempotency handles it).
  enable_exactly_once_delivery = true

  message_retention_duration = "604800s"

  # Exponential backoff between redeliveries of a nacked command.
  retry_policy {
    minimum_backoff = "1s"
    maximum_backoff = "60s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dlq.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  # Never expire (the default deletes a subscription idle for 31 days).
  expiration_policy {
    ttl = ""
  }

  # Dead-lettering needs the Pub/Sub service agent's grants before the first message fails.
  depends_on = [
    google_pubsub_topic_iam_member.dlq_publisher_pubsub_agent,
  ]
}

# Without a subscription, Pub/Sub discards what reaches a topic: this one keeps the dead letters
# (7 days, the most a subscription keeps) for `ops dlq list` and `ops dlq replay`.
resource "google_pubsub_subscription" "dlq" {
  name                       = var.dlq_subscription
  topic                      = google_pubsub_topic.dlq.id
  labels                     = local.labels
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = false

  expiration_policy {
    ttl = ""
  }
}

# The worker's notifications read the completion events from their own subscription.
resource "google_pubsub_subscription" "notifier" {
  count                      = var.notifier_subscription == "" ? 0 : 1
  name                       = var.notifier_subscription
  topic                      = google_pubsub_topic.events.id
  labels                     = local.labels
  ack_deadline_seconds       = 60
  enable_message_ordering    = true
  message_retention_duration = "604800s"

  retry_policy {
    minimum_backoff = "5s"
    maximum_backoff = "300s"
  }

  expiration_policy {
    ttl = ""
  }
}

# The frontend listens for completion events here (it de-duplicates on ce-id).
resource "google_pubsub_subscription" "frontend_events" {
  count                      = var.frontend_events_subscription == "" ? 0 : 1
  name                       = var.frontend_events_subscription
  topic                      = google_pubsub_topic.events.id
  labels                     = local.labels
  ack_deadline_seconds       = 60
  enable_message_ordering    = true
  message_retention_duration = "604800s"

  retry_policy {
    minimum_backoff = "5s"
    maximum_backoff = "300s"
  }

  expiration_policy {
    ttl = ""
  }
}
