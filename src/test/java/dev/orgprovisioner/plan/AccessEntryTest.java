package dev.orgprovisioner.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Principals in IAM's member syntax, and nothing else, make access entries. */
class AccessEntryTest {

  @Test
  void principals_parseByKind_andCompareWithoutCase() {
    AccessEntry group = AccessEntry.parse("group:Analysts@Acme.com", AccessEntry.Role.READER);

    assertThat(group.kind()).isEqualTo(AccessEntry.Kind.GROUP);
    assertThat(group.principal()).isEqualTo("group:analysts@acme.com");
    assertThat(group.domain()).isEqualTo("acme.com");
    assertThat(group)
        .isEqualTo(AccessEntry.parse("group:analysts@acme.com", AccessEntry.Role.READER));
    assertThat(
            AccessEntry.parse(
                    "serviceAccount:etl@p.iam.gserviceaccount.com", AccessEntry.Role.WRITER)
                .kind())
        .isEqualTo(AccessEntry.Kind.SERVICE_ACCOUNT);
  }

  @Test
  void otherMembers_andMalformedEmails_areRefused() {
    for (String bad :
        new String[] {
          "ann@acme.com", "domain:acme.com", "allUsers", "user:ann", "user:ann@acme", "user:", null
        }) {
      assertThatThrownBy(() -> AccessEntry.parse(bad, AccessEntry.Role.READER))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
