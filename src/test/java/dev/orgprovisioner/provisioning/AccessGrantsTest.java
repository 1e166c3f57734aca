package dev.orgprovisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orgprovisioner.command.OrgSlug;
import dev.orgprovisioner.execution.JobFailedException;
import dev.orgprovisioner.plan.AccessEntry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The grants an org records, and the domains it may grant to. */
class AccessGrantsTest {

  private static final OrgSlug ACME = OrgSlug.parse("acme");

  private static AccessEntry entry(String principal) {
    return AccessEntry.parse(principal, AccessEntry.Role.READER);
  }

  @Test
  void recordedGrants_roundTripThroughTheProfileColumn() {
    List<AccessEntry> grants =
        List.of(
            entry("group:analysts@acme.com"),
            AccessEntry.parse(
                "serviceAccount:etl@acme-prj.iam.gserviceaccount.com", AccessEntry.Role.WRITER));

    assertThat(AccessGrants.recorded(Map.of(AccessGrants.COLUMN, AccessGrants.json(grants))))
        .isEqualTo(grants);
    assertThat(AccessGrants.recorded(Map.of())).isEmpty();
  }

  @Test
  void anotherOrgsPrincipal_isRefusedNamingTheEntry_beforeAnyChange() {
    assertThatThrownBy(
            () ->
                AccessGrants.requireAllowed(
                    ACME,
                    "admin@acme.com",
                    Set.of(),
                    List.of(entry("group:analysts@acme.com"), entry("user:eve@globex.com"))))
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> {
              assertThat(e.error().code()).isEqualTo("ACCESS_PRINCIPAL_NOT_ALLOWED");
              assertThat(e.error().message())
                  .contains("data.access[1].principal", "user:eve@globex.com", "[acme.com]");
            });
  }

  @Test
  void theAdminsDomain_andDomainsConfiguredForTheOrg_areAllowed() {
    assertThatCode(
            () ->
                AccessGrants.requireAllowed(
                    ACME,
                    "admin@Acme.com",
                    Set.of("acme-prj.iam.gserviceaccount.com"),
                    List.of(
                        entry("group:analysts@acme.com"),
                        entry("serviceAccount:etl@acme-prj.iam.gserviceaccount.com"))))
        .doesNotThrowAnyException();
  }
}
