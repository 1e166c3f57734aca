package dev.orgprovisioner.api.console;

import static dev.orgprovisioner.testing.AdminRequests.TEST_ADMIN_KEY;
import static dev.orgprovisioner.testing.AdminRequests.admin;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orgprovisioner.command.CommandDecoder;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.MalformedCommands;
import dev.orgprovisioner.execution.ErrorInfo;
import dev.orgprovisioner.execution.EventFactory;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.messaging.DriftScheduler;
import dev.orgprovisioner.testing.DeadLetterFixtures;
import dev.orgprovisioner.testing.EmulatorsResource;
import dev.orgprovisioner.testing.HeadlessChromium;
import dev.orgprovisioner.testing.LedgerFixtures;
import dev.orgprovisioner.testing.PubSubTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The operator console in a real browser (Debian's chromium) against the running worker on the
 * emulators: sign-in, the fleet page, a failed job retried to success; and refusals over HTTP.
 */
@QuarkusTest
@Tag("app")
@QuarkusTestResource(EmulatorsResource.class)
class ConsoleBrowserAppTest {

  private static final Duration DEADLINE = Duration.ofSeconds(90);

  /** Where the fleet page's screenshot is written (copied to docs/console-fleet.png by hand). */
  static final Path SCREENSHOT = Path.of("target", "console-fleet.png");

  @Inject Ledger ledger;
  @Inject CommandDecoder decoder;
  @Inject EventFactory eventFactory;
  @Inject DriftScheduler driftScheduler;

  @TestHTTPResource("/console")
  URL console;

  @ConfigProperty(name = "messaging.dlq-topic")
  String dlqTopic;

  @Test
  void withoutSession_pagesAre401_andFormsWithoutTheirTokenAre403() {
    given()
        .redirects()
        .follow(false)
        .get("/console")
        .then()
        .statusCode(401)
        .body(containsString("/console/login"));
    given().get("/console/jobs").then().statusCode(401);
    given().formParam("csrf", "x").post("/console/jobs/any/retry").then().statusCode(401);
    // An IAP header is no credential while IAP is off.
    given().header("X-Goog-IAP-JWT-Assertion", "a.b.c").get("/console").then().statusCode(401);

    given()
        .formParam("key", "not-the-key")
        .post("/console/login")
        .then()
        .statusCode(403)
        .body(containsString("not accepted"))
        .body(not(containsString("not-the-key")));

    String session =
        given()
            .redirects()
            .follow(false)
            .formParam("key", TEST_ADMIN_KEY)
            .post("/console/login")
            .then()
            .statusCode(303)
            .header("Set-Cookie", containsString("HttpOnly"))
            .header("Set-Cookie", containsString("SameSite=Strict"))
            .header("Set-Cookie", not(containsString(TEST_ADMIN_KEY)))
            .extract()
            .cookie(ConsoleSession.COOKIE);
    given().cookie(ConsoleSession.COOKIE, session).get("/console/jobs").then().statusCode(200);
    given()
        .cookie(ConsoleSession.COOKIE, session)
        .formParam("csrf", "forged")
        .post("/console/jobs/any/retry")
        .then()
        .statusCode(403);
    given()
        .cookie(ConsoleSession.COOKIE, session + "x")
        .get("/console/jobs")
        .then()
        .statusCode(401);
  }

  @Test
  void inChromium_signIn_seeTheFleet_andRetryAFailedJobToSuccess() throws Exception {
    assumeTrue(
        HeadlessChromium.installed(),
        "chromium and chromium-driver are not installed (apt-get install -y chromium"
            + " chromium-driver); the console's browser test is skipped");
    String org = "console_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Job job = failedOnboarding(org);
    onboarded(org + "_ok");
    completedDriftCheck();

    ChromeDriver browser = HeadlessChromium.start();
    try {
      browser.get(console.toString());
      awaitHeading(browser, h -> assertThat(h).isEqualTo("Sign in required"));

      browser.findElement(By.linkText("Sign in")).click();
      browser.findElement(By.id("key")).sendKeys(TEST_ADMIN_KEY);
      browser.findElement(By.cssSelector("form button[type=submit]")).click();
      awaitHeading(browser, h -> assertThat(h).isEqualTo("Fleet"));
      assertThat(Long.parseLong(browser.findElement(By.id("queue-FAILED")).getText()))
          .isGreaterThanOrEqualTo(1);
      assertThat(
              browser.findElement(By.cssSelector("table[aria-label='Orgs per status']")).getText())
          .contains("SYNCED");
      assertThat(
              browser.findElement(By.cssSelector("table[aria-label='Orgs per catalog version']")))
          .isNotNull();
      Files.createDirectories(SCREENSHOT.getParent());
      Files.copy(
          browser.getScreenshotAs(OutputType.FILE).toPath(),
          SCREENSHOT,
          StandardCopyOption.REPLACE_EXISTING);

      browser.findElement(By.id("org-slug")).sendKeys(org);
      browser.findElement(By.id("org-slug")).submit();
      awaitHeading(browser, h -> assertThat(h).isEqualTo("Org " + org));
      assertThat(browser.findElement(By.linkText(job.id())).isDisplayed()).isTrue();
      assertThat(browser.findElement(By.cssSelector("table[aria-label='Events']")).getText())
          .contains("org.onboarding.failed");

      browser.get(console + "/jobs?state=FAILED&org=" + org);
      browser.findElement(By.linkText(job.id())).click();
      awaitHeading(browser, h -> assertThat(h).isEqualTo("Job " + job.id()));
      assertThat(browser.findElement(By.id("job-state")).getText()).isEqualTo("FAILED");
      assertThat(browser.findElement(By.id("job-error")).getText()).contains("WAREHOUSE_PERMANENT");

      browser.findElement(By.id("retry-link")).click();
      awaitHeading(browser, h -> assertThat(h).startsWith("Retry job"));
      // Nothing happens before the confirmation.
      assertThat(ledger.job(job.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
      browser.findElement(By.id("confirm-retry")).click();
      // The click returns before the form's answer is loaded (seen once on a busy machine).
      await()
          .atMost(DEADLINE)
          .untilAsserted(() -> assertThat(browser.getPageSource()).contains("Queued again."));

      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () ->
                  assertThat(ledger.job(job.id()).orElseThrow().state())
                      .isEqualTo(JobState.SUCCEEDED));
      browser.navigate().refresh();
      assertThat(browser.findElement(By.id("job-state")).getText()).isEqualTo("SUCCEEDED");
      assertThat(browser.findElements(By.id("retry-link"))).isEmpty();

      browser.findElement(By.xpath("//button[text()='Sign out']")).click();
      awaitHeading(browser, h -> assertThat(h).isEqualTo("Sign in"));
      browser.get(console + "/jobs");
      awaitHeading(browser, h -> assertThat(h).isEqualTo("Sign in required"));
    } finally {
      browser.quit();
    }
  }

  @Test
  void inChromium_aDeadLetter_isPreviewedThenReplayed_andItsCommandRuns() throws Exception {
    assumeTrue(HeadlessChromium.installed(), "chromium and chromium-driver are not installed");
    String org = "consoledlq_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String messageId;
    try (PubSubTestClient pubsub = PubSubTestClient.forSharedEmulator()) {
      messageId =
          DeadLetterFixtures.exhaustedOnboard(pubsub, dlqTopic, org, "d_" + UUID.randomUUID());
    }
    ChromeDriver browser = HeadlessChromium.start();
    try {
      signIn(browser);
      browser.get(console + "/dlq?org=" + org);
      assertThat(browser.findElement(By.tagName("table")).getText())
          .contains(messageId)
          .contains("DELIVERY_ATTEMPTS_EXHAUSTED");

      browser.findElement(By.id("preview-replay")).click();
      awaitHeading(browser, h -> assertThat(h).isEqualTo("Replay preview"));
      assertThat(browser.findElement(By.id("replay-summary")).getText())
          .startsWith("1 examined; 1 would be republished");
      // The preview published nothing: the command has no job yet.
      assertThat(ledger.jobs(null, org, 10)).isEmpty();

      browser.findElement(By.id("confirm-replay")).click();
      awaitHeading(browser, h -> assertThat(h).isEqualTo("Replayed"));
      assertThat(browser.findElement(By.id("replay-summary")).getText())
          .contains("1 were republished");
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () ->
                  assertThat(ledger.jobs(null, org, 10))
                      .extracting(Job::state)
                      .containsExactly(JobState.SUCCEEDED));
      browser.get(console + "/dlq?org=" + org);
      assertThat(browser.getPageSource()).contains("No dead letters match.");
    } finally {
      browser.quit();
    }
  }

  @Test
  void driftAndRolloutPages_renderForTheAdminKey_andUnknownOnesAre404() {
    admin().get("/console/drift").then().statusCode(200).body(containsString("Drift report"));
    admin().get("/console/rollouts").then().statusCode(200).body(containsString("Roll-outs"));
    admin().get("/console/rollouts/no_such_rollout").then().statusCode(404);
    admin().get("/console/jobs/no-such-job").then().statusCode(404);
    admin().get("/console/jobs?state=DONE").then().statusCode(400);
    admin()
        .get("/console/orgs/Not-A-Slug")
        .then()
        .statusCode(400)
        .contentType(containsString("text/html"))
        .body(containsString("Not understood"));
  }

  private void signIn(WebDriver browser) {
    browser.get(console + "/login");
    browser.findElement(By.id("key")).sendKeys(TEST_ADMIN_KEY);
    browser.findElement(By.cssSelector("form button[type=submit]")).click();
    awaitHeading(browser, h -> assertThat(h).isEqualTo("Fleet"));
  }

  /**
   * Asserts on the page's heading until it holds or the deadline passes: a click or submit may
   * return while the page it opened is still loading, which a loaded machine showed.
   */
  private static void awaitHeading(WebDriver browser, java.util.function.Consumer<String> check) {
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> check.accept(browser.findElement(By.tagName("h1")).getText()));
  }

  /** Onboards an org through the admin API and waits for its job to succeed. */
  private void onboarded(String org) {
    String jobId =
        admin()
            .contentType("application/json")
            .body(MalformedCommands.json(MalformedCommands.onboardData(org)))
            .post("/api/v1/orgs")
            .then()
            .statusCode(202)
            .extract()
            .path("job_id");
    await()
        .atMost(DEADLINE)
        .until(() -> ledger.job(jobId).orElseThrow().state() == JobState.SUCCEEDED);
  }

  /** Runs a real drift check (as the nightly scheduler does) and waits for its job to finish. */
  private void completedDriftCheck() {
    Instant slot =
        Instant.parse("2032-02-01T03:00:00Z").plusSeconds(60L * (System.nanoTime() % 100_000));
    String key = driftScheduler.publish(slot);
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                ledger.jobs(JobState.SUCCEEDED, null, 1000).stream()
                    .anyMatch(
                        j ->
                            j.type() == CommandType.DRIFT_CHECK && key.equals(j.idempotencyKey())));
  }

  private Job failedOnboarding(String org) {
    String ceId = "j_" + UUID.randomUUID();
    DecodeResult decoded =
        decoder.decode(
            MalformedCommands.onboardAttributes(ceId),
            MalformedCommands.json(MalformedCommands.onboardData(org)),
            org);
    return LedgerFixtures.failedAheadOfWorkers(
        ledger,
        ((DecodeResult.Accepted) decoded).envelope(),
        ErrorInfo.permanent("WAREHOUSE_PERMANENT", "injected"),
        at -> eventFactory.event("org.onboarding.failed", org, ceId, ceId, Map.of(), at));
  }
}
