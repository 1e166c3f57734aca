package dev.orgprovisioner.api.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.JobView;
import dev.orgprovisioner.execution.port.Ledger;
import dev.orgprovisioner.messaging.DeadLetterQueue;
import dev.orgprovisioner.provisioning.DriftChecker;
import dev.orgprovisioner.provisioning.PlanReport;
import dev.orgprovisioner.provisioning.ProvisioningService;
import dev.orgprovisioner.provisioning.StatusReport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The console's fleet overview, an org's page and the drift report: read from the same ledger,
 * provisioning service and dead-letter queue as the REST resources.
 */
@Path(ConsoleGate.ROOT)
@Produces(MediaType.TEXT_HTML)
public class ConsoleFleetResource {

  /** The DLQ is counted up to this many messages (a pull of each; more shows as "at least"). */
  static final int DLQ_COUNT_LIMIT = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Ledger ledger;
  private final ProvisioningService provisioning;
  private final DeadLetterQueue dlq;
  private final ConsolePages pages;

  public ConsoleFleetResource(
      Ledger ledger, ProvisioningService provisioning, DeadLetterQueue dlq, ConsolePages pages) {
    this.ledger = ledger;
    this.provisioning = provisioning;
    this.dlq = dlq;
    this.pages = pages;
  }

  @Operation(hidden = true)
  @GET
  public Response fleet(@Context HttpHeaders headers) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("drift", driftReport());
    Map<String, Long> queue = new LinkedHashMap<>();
    for (JobState state : JobState.values()) {
      queue.put(state.name(), ledger.countJobs(state));
    }
    data.put("queue", queue);
    int dead = dlq.list(DeadLetterQueue.Filter.ALL, DLQ_COUNT_LIMIT).size();
    data.put("dlqSize", dead >= DLQ_COUNT_LIMIT ? "at least " + dead : Integer.toString(dead));
    data.put("catalogVersion", provisioning.catalog().org().version());
    return pages.render("fleet.html", headers, data);
  }

  /** The fleet page's "open an org" form. */
  @Operation(hidden = true)
  @GET
  @Path("/org")
  public Response openOrg(@QueryParam("org") String org) {
    String slug = OrgSlug.parse(org == null ? "" : org.strip()).value();
    return ConsolePages.seeOther(ConsoleGate.ROOT + "/orgs/" + slug);
  }

  @Operation(hidden = true)
  @GET
  @Path("/orgs/{org}")
  public Response org(@PathParam("org") String org, @Context HttpHeaders headers) {
    OrgSlug slug = OrgSlug.parse(org);
    StatusReport status = provisioning.orgStatus(slug);
    PlanReport plan = PlanReport.of(provisioning.planOrg(slug));
    List<JobView> jobs =
        ledger.jobs(new Ledger.JobQuery(null, slug.value(), 20, null)).jobs().stream()
            .map(JobView::of)
            .toList();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org", slug.value());
    data.put("status", status);
    data.put("plan", plan);
    data.put("jobs", jobs);
    data.put("events", ledger.recentOf(slug.value(), 20));
    data.put("profile", provisioning.profile(slug).map(Map::copyOf).orElse(Map.of()));
    return pages.render("org.html", headers, data);
  }

  @Operation(hidden = true)
  @GET
  @Path("/drift")
  public Response drift(@Context HttpHeaders headers) {
    return pages.render("drift.html", headers, Map.of("drift", driftReport()));
  }

  /** A slug that is not one: 400 with the rule it breaks, as a page (not the API's JSON). */
  @ServerExceptionMapper
  public Response invalidSlug(OrgSlug.InvalidSlugException e, HttpHeaders headers) {
    return pages.render(400, "bad-input.html", headers, Map.of("message", e.getMessage()));
  }

  /** The last drift check's summary, or an empty map before the first. */
  private Map<String, Object> driftReport() {
    return ledger
        .report(DriftChecker.LATEST_REPORT)
        .map(ConsoleFleetResource::parse)
        .orElse(Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String json) {
    try {
      return JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the stored drift report is not JSON", e);
    }
  }
}
