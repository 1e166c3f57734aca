package dev.orgprovisioner.live;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.DatasetDeleteOption;
import com.google.cloud.bigquery.DatasetId;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.command.DecodeResult;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.IntakeDecision;
import dev.orgprovisioner.execution.OutboxEvent;
import dev.orgprovisioner.execution.port.Metrics;
import dev.orgprovisioner.live.LiveCheckReport.Outcome;
import dev.orgprovisioner.live.LiveCheckReport.StepResult;
import dev.orgprovisioner.messaging.CommandPublisher;
import dev.orgprovisioner.warehouse.RetryingWarehouse;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs bootstrap, one onboarding, a no-op sync and a drift check against BigQuery as the worker
 * runs them (each a command decoded and submitted as the intake does, then run by the worker pool),
 * in throw-away datasets; checks each outcome; prints calls, bytes billed and latency per step; and
 * deletes every dataset the run created, also when a step failed.
 */
final class LiveCheck {

  private static final String SOURCE = "//org-provisioner/live-check";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The longest a step waits for its command's terminal event: past the worker's default
   * execution.max-run-time (15m) of one attempt, so a slow job fails itself first.
   */
  static final Duration STEP_TIMEOUT = Duration.ofMinutes(20);

  private record Step(String name, Function<LiveWiring, String> action) {}

  private final LiveTarget target;
  private final PrintStream out;
  private final RetryCount retries = new RetryCount();
  private final TerminalEvents events = new TerminalEvents();

  LiveCheck(LiveTarget target, PrintStream out) {
    this.target = target;
    this.out = out;
  }

  LiveCheckReport run() {
    List<String> datasets = List.of(target.centralDataset(), orgDataset());
    out.printf(
        "Live BigQuery check: project %s%s, run %s%n",
        target.project(), target.host().map(h -> " via " + h).orElse(""), target.run());
    out.printf(
        "Throw-away datasets: %s. If the run is killed, delete them with:%n%s%n",
        String.join(", ", datasets),
        datasets.stream()
            .map(d -> "  bq rm -r -f -d " + target.project() + ":" + d)
            .reduce((a, b) -> a + "\n" + b)
            .orElse(""));
    List<Step> steps =
        List.of(
            new Step("bootstrap", this::bootstrap),
            new Step("onboard", this::onboard),
            new Step("sync (no-op)", this::sync),
            new Step("drift check", this::driftCheck));
    List<StepResult> results = new ArrayList<>();
    BigQuery admin = LiveWiring.adminClient(target);
    try (CallMeter meter = CallMeter.install()) {
      try (LiveWiring wiring = LiveWiring.start(target, retries, retries, events)) {
        for (Step step : steps) {
          boolean failedBefore = results.stream().anyMatch(r -> !r.ok());
          results.add(
              failedBefore
                  ? StepResult.notRun(step.name())
                  : measure(meter, step.name(), () -> step.action().apply(wiring)));
        }
      } catch (RuntimeException e) {
        results.add(failed("set-up", e));
      } finally {
        results.add(measure(meter, "clean-up", () -> cleanUp(admin, datasets)));
      }
    }
    LiveCheckReport report = new LiveCheckReport(target, results);
    out.println();
    out.print(report.table());
    out.println(report.passed() ? "Live BigQuery check passed." : "Live BigQuery check FAILED.");
    return report;
  }

  private String orgDataset() {
    // The worker's own naming rule, with the environment the configuration names.
    return LiveWiring.orgDataset(target, OrgSlug.parse(target.org()));
  }

  // ------------------------------------------------------------------ the steps

  private String bootstrap(LiveWiring w) {
    Map<?, ?> result = submit(w, CommandType.BOOTSTRAP, null, Map.of(), "central.bootstrapped");
    List<?> applied = list(result, "applied");
    if (applied.isEmpty()) {
      throw new IllegalStateException("the bootstrap of a new central dataset applied nothing");
    }
    return "central.bootstrapped: " + applied.size() + " plan steps applied";
  }

  private String onboard(LiveWiring w) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", target.org());
    data.put("company_name", "Live check " + target.run());
    data.put("admin_email", "live-check@example.com");
    data.put("subscription_plan", "STARTER");
    data.put("default_currency", "EUR");
    data.put("default_timezone", "UTC");
    data.put("api_key_sha256", sha256(target.run()));
    Map<?, ?> out = submit(w, CommandType.ONBOARD, target.org(), data, "org.onboarded");
    if (!"SYNCED".equals(out.get("status"))) {
      throw new IllegalStateException("onboarded org is " + out.get("status") + ", not SYNCED");
    }
    Map<?, ?> created = map(out.get("created"));
    return String.format(
        Locale.ROOT,
        "org.onboarded: %s in %s, %d tables and %d views created, %d central rows; SYNCED",
        out.get("dataset"),
        out.get("dataset_location"),
        ((List<?>) created.get("tables_created")).size(),
        ((List<?>) created.get("views_created")).size(),
        ((List<?>) created.get("central_rows")).size());
  }

  private String sync(LiveWiring w) {
    Map<?, ?> result =
        submit(w, CommandType.SYNC, target.org(), Map.of("org_slug", target.org()), "org.synced");
    List<?> applied = list(result, "applied");
    List<?> rows = list(result, "central_rows_completed");
    if (!applied.isEmpty() || !rows.isEmpty()) {
      throw new IllegalStateException(
          "a sync right after onboarding changed something: " + applied + " " + rows);
    }
    return "org.synced: nothing to apply";
  }

  private String driftCheck(LiveWiring w) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("scope", List.of(target.org()));
    data.put("auto_repair", false);
    Map<?, ?> summary = submit(w, CommandType.DRIFT_CHECK, null, data, "drift.check.completed");
    Map<?, ?> counts = map(summary.get("counts"));
    if (!Objects.equals(counts.get("SYNCED"), 1)
        || counts.entrySet().stream()
            .anyMatch(e -> !e.getKey().equals("SYNCED") && !Objects.equals(e.getValue(), 0))
        || !"SYNCED".equals(summary.get("central_status"))) {
      throw new IllegalStateException(
          "drift found: orgs " + counts + ", central " + summary.get("central_status"));
    }
    return "drift.check.completed: org SYNCED, central SYNCED";
  }

  private String cleanUp(BigQuery admin, List<String> datasets) {
    List<String> deleted = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String dataset : datasets) {
      try {
        if (admin.delete(
            DatasetId.of(target.project(), dataset), DatasetDeleteOption.deleteContents())) {
          deleted.add(dataset);
        } else {
          absent.add(dataset);
        }
      } catch (RuntimeException e) {
        failed.add(dataset + " (" + e.getMessage() + ")");
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException(
          "could not delete "
              + String.join(", ", failed)
              + "; delete them by hand (bq rm -r -f -d)");
    }
    return "deleted "
        + (deleted.isEmpty() ? "nothing" : String.join(", ", deleted))
        + (absent.isEmpty() ? "" : "; never created: " + String.join(", ", absent));
  }

  // ------------------------------------------------------------------ running a command

  /**
   * The command as the frontend publishes it, submitted as the intake submits it, run by the worker
   * pool; returns the data of its terminal event once the job's audit rows are written.
   */
  private Map<?, ?> submit(
      LiveWiring w,
      CommandType type,
      String orderingKey,
      Map<String, Object> data,
      String successType) {
    String id = target.run() + "-" + type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    DecodeResult decoded =
        w.decoder()
            .decode(CommandPublisher.attributes(type, id, SOURCE, id), json(data), orderingKey);
    if (!(decoded instanceof DecodeResult.Accepted accepted)) {
      throw new IllegalStateException(type.ceType() + " was rejected: " + decoded);
    }
    IntakeDecision decision = w.submission().submit(accepted.envelope());
    if (!(decision instanceof IntakeDecision.Enqueued)) {
      throw new IllegalStateException(type.ceType() + " was not enqueued: " + decision);
    }
    OutboxEvent event;
    try {
      event = events.await(id, successType, STEP_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + successType, e);
    }
    w.flushAudit();
    Map<?, ?> result = map(parse(event.data()));
    if (!event.type().equals(successType)) {
      throw new IllegalStateException(
          event.type() + ": " + result.get("error_code") + ": " + result.get("error"));
    }
    return result;
  }

  private static byte[] json(Object data) {
    try {
      return JSON.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object parse(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("terminal event data is not JSON: " + e.getMessage(), e);
    }
  }

  /** A stand-in for the hash of the org's first API key (the worker only ever sees the hash). */
  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<?, ?> map(Object value) {
    return (Map<?, ?>) value;
  }

  private static List<?> list(Map<?, ?> result, String key) {
    Object value = result.get(key);
    return value == null ? List.of() : (List<?>) value;
  }

  // ------------------------------------------------------------------ measuring

  private StepResult measure(
      CallMeter meter, String name, java.util.function.Supplier<String> action) {
    retries.reset();
    meter.start();
    long start = System.nanoTime();
    Outcome outcome = Outcome.OK;
    String detail;
    try {
      detail = action.get();
    } catch (RuntimeException e) {
      outcome = Outcome.FAILED;
      detail = describe(e);
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    StepResult result = new StepResult(name, outcome, detail, latency, meter.stop(), retries.get());
    out.printf(
        Locale.ROOT,
        "%-13s %-6s %,8d ms %4d calls  %s%n",
        name,
        outcome.name().toLowerCase(Locale.ROOT),
        latency.toMillis(),
        result.calls().calls(),
        detail);
    return result;
  }

  private StepResult failed(String name, RuntimeException e) {
    return new StepResult(
        name, Outcome.FAILED, describe(e), Duration.ZERO, CallMeter.StepCalls.NONE, 0);
  }

  private static String describe(RuntimeException e) {
    return e instanceof IllegalStateException
        ? e.getMessage()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /**
   * Counts, in the current step, the warehouse calls the worker's retry policy repeated and the job
   * attempts it re-queued after a transient failure.
   */
  private static final class RetryCount implements RetryingWarehouse.Observer, Metrics {
    private final AtomicInteger retries = new AtomicInteger();

    @Override
    public void retry(String operation) {
      retries.incrementAndGet();
    }

    @Override
    public void jobRetry(CommandType type) {
      retries.incrementAndGet();
    }

    void reset() {
      retries.set(0);
    }

    int get() {
      return retries.get();
    }
  }
}
