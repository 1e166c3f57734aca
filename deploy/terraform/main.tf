# APIs, the image repository and the names shared by the other files.

locals {
  bigquery_project = coalesce(var.bigquery_project_id, var.project_id)
  image            = "${var.region}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}/org-provisioner:${var.image_tag}"
  pubsub_agent     = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
  worker           = "serviceAccount:${google_service_account.worker.email}"
  labels = {
    app         = "org-provisioner"
    environment = var.environment
  }
}

resource "google_project_service" "enabled" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "bigquery.googleapis.com",
    "cloudbuild.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}

resource "google_artifact_registry_repository" "images" {
  location      = var.region
  repository_id = "org-provisioner"
  format        = "DOCKER"
  description   = "Images of the org-provisioner worker"
  labels        = local.labels
  depends_on    = [google_project_service.enabled]
}
