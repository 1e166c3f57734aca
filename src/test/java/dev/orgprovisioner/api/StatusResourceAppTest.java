package dev.orgprovisioner.api;

import static dev.orgprovisioner.testing.AdminRequests.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.orgprovisioner.testing.CatalogFixtures;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.warehouse.Warehouse;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
class StatusResourceAppTest {

  @Test
  void bootstrap_thenCentralStatusReadsSynced() {
    admin().post("/api/v1/central/bootstrap").then().statusCode(200);

    admin()
        .get("/api/v1/central/status")
        .then()
        .statusCode(200)
        .body("status", equalTo("SYNCED"))
        .body("dataset", equalTo("organizations"))
        .body("dataset_exists", equalTo(true))
        .body("catalog_version", equalTo(CatalogFixtures.project().central().version()))
        .body("worker_catalog_version", equalTo(CatalogFixtures.project().central().version()));
  }

  @Test
  void orgPlan_listsTheStepsOfAFreshOnboardingWithoutApplyingThem() {
    admin()
        .post("/api/v1/orgs/plan_only_org/plan")
        .then()
        .statusCode(200)
        .body("dataset", equalTo("plan_only_org_local"))
        .body("status", equalTo("OUT_OF_SYNC"))
        .body("steps", hasItem("create dataset plan_only_org_local"))
        .body("additive.kind", hasItem("TABLE_MISSING"));

    admin()
        .post("/api/v1/orgs/plan_only_org/plan")
        .then()
        .body("steps", hasItem("create dataset plan_only_org_local"));
  }

  @Inject Warehouse warehouse;

  /** What an onboarding leaves first: the org's profile, before its dataset exists. */
  private void profileOnly(String org) {
    warehouse.upsertRows(
        "organizations",
        "org_profiles",
        List.of("org_slug"),
        List.of(
            Map.of(
                "org_slug", org,
                "company_name", "Sync Inc",
                "admin_email", "admin@sync.example",
                "org_dataset_id", org + "_local",
                "status", "ACTIVE",
                "subscription_plan", "STARTER",
                "created_at", Instant.now())));
  }

  @Test
  void orgSync_isQueuedAsAJobAndADryRunAfterwardsHasNothingToDo() {
    admin().post("/api/v1/central/bootstrap").then().statusCode(200);
    profileOnly("sync_org");

    String jobId =
        admin()
            .header("Idempotency-Key", "api-sync-1")
            .post("/api/v1/orgs/sync_org/sync")
            .then()
            .statusCode(202)
            .extract()
            .path("job_id");
    admin()
        .header("Idempotency-Key", "api-sync-1")
        .post("/api/v1/orgs/sync_org/sync")
        .then()
        .body("job_id", equalTo(jobId));

    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> "SUCCEEDED".equals(admin().get("/api/v1/jobs/" + jobId).path("state")));
    admin()
        .post("/api/v1/orgs/sync_org/sync?dry_run=true")
        .then()
        .statusCode(200)
        .body("plan.steps", empty())
        .body("applied", empty());
    admin().get("/api/v1/jobs/no-such-job").then().statusCode(404);
  }

  private void syncedBy(String slug, String key, String views) {
    String jobId =
        admin()
            .header("Idempotency-Key", key)
            .post("/api/v1/orgs/" + slug + "/sync?views=" + views)
            .then()
            .statusCode(202)
            .extract()
            .path("job_id");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> "SUCCEEDED".equals(admin().get("/api/v1/jobs/" + jobId).path("state")));
  }

  @Test
  void orgSyncWithViewsRecreate_plansEveryViewOfAnUpToDateOrg_andOtherValuesAreRejected() {
    admin().post("/api/v1/central/bootstrap").then().statusCode(200);
    profileOnly("recreate_org");
    syncedBy("recreate_org", "api-recreate-1", "true");

    admin()
        .post("/api/v1/orgs/recreate_org/sync?dry_run=true")
        .then()
        .statusCode(200)
        .body("plan.steps", empty());
    admin()
        .post("/api/v1/orgs/recreate_org/sync?dry_run=true&views=recreate")
        .then()
        .statusCode(200)
        .body("plan.status", equalTo("SYNCED"))
        .body("plan.steps", hasSize(4))
        .body("plan.steps", everyItem(containsString("create or replace view")))
        .body("applied", empty());
    admin()
        .post("/api/v1/orgs/recreate_org/sync?views=sometimes")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_VALUE"))
        .body("field", equalTo("views"));
    syncedBy("recreate_org", "api-recreate-2", "recreate");
    admin()
        .get("/api/v1/orgs/recreate_org/status")
        .then()
        .body("status", equalTo("SYNCED"))
        .body("catalog_version", equalTo(CatalogFixtures.project().org().version()));
  }

  @Test
  void syncOfAnOrgNeverOnboarded_failsWithOrgNotFound_andItsDryRunSaysNotFound() {
    admin().post("/api/v1/central/bootstrap").then().statusCode(200);

    admin()
        .post("/api/v1/orgs/never_onboarded/sync?dry_run=true")
        .then()
        .statusCode(200)
        .body("plan.status", equalTo("NOT_FOUND"))
        .body("plan.steps", empty())
        .body("applied", empty());
    String jobId =
        admin()
            .header("Idempotency-Key", "api-sync-ghost")
            .post("/api/v1/orgs/never_onboarded/sync")
            .then()
            .statusCode(202)
            .extract()
            .path("job_id");

    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> "FAILED".equals(admin().get("/api/v1/jobs/" + jobId).path("state")));
    admin()
        .get("/api/v1/jobs/" + jobId)
        .then()
        .body("priority", equalTo(2))
        .body("last_error.code", equalTo("ORG_NOT_FOUND"))
        .body("last_error.transient_failure", equalTo(false));
    assertThat(warehouse.freshSnapshot("never_onboarded_local")).isEmpty();
    admin()
        .get("/api/v1/orgs/never_onboarded/status")
        .then()
        .body("status", equalTo("NOT_FOUND"))
        .body("dataset_exists", equalTo(false));
  }

  @Test
  void unknownOrg_isNotFound() {
    admin().post("/api/v1/central/bootstrap").then().statusCode(200);

    admin()
        .get("/api/v1/orgs/nobody_here/status")
        .then()
        .statusCode(200)
        .body("status", equalTo("NOT_FOUND"));
  }

  @Test
  void invalidSlug_isRejectedWithTheRuleThatFailed() {
    admin()
        .get("/api/v1/orgs/Bad-Slug/status")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_SLUG"))
        .body("field", equalTo("org"))
        .body("message", containsString("^[a-z0-9_]{3,50}$"));
    admin()
        .post("/api/v1/orgs/ab/plan")
        .then()
        .statusCode(400)
        .body("code", equalTo("INVALID_SLUG"));
  }
}
