package dev.orgprovisioner.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A catalogue of malformed commands, each with the rejection it must get. Shared by the decoder's
 * unit test and the end-to-end test that publishes them to the Pub/Sub emulator.
 */
public final class MalformedCommands {

  /**
   * One malformed command.
   *
   * @param name what is wrong with it
   * @param field the rejection-field it must be rejected with
   */
  public record Case(
      String name,
      Map<String, String> attributes,
      byte[] data,
      String orderingKey,
      RejectionCode code,
      String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  private MalformedCommands() {}

  /** Attributes of a well-formed onboard command. */
  public static Map<String, String> onboardAttributes(String id) {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("ce-specversion", "1.0");
    attrs.put("ce-type", "org.onboard.requested");
    attrs.put("ce-id", id);
    attrs.put("ce-source", "//tests/frontend");
    attrs.put("ce-time", "2026-11-25T10:00:00Z");
    return attrs;
  }

  /** Data of a well-formed onboard command, as an ordered map to tweak. */
  public static Map<String, Object> onboardData(String org) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("org_slug", org);
    data.put("company_name", "Acme Inc");
    data.put("admin_email", "admin@acme.example");
    data.put("subscription_plan", "PROFESSIONAL");
    data.put("default_currency", "EUR");
    data.put("default_timezone", "Europe/Berlin");
    return data;
  }

  public static byte[] json(Map<String, Object> data) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(data);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every malformed case, for org slug {@code org} and ids prefixed {@code idPrefix}. */
  public static List<Case> all(String org, String idPrefix) {
    List<Case> cases = new ArrayList<>();
    int[] n = {0};
    Consumer<Object[]> add =
        args -> {
          @SuppressWarnings("unchecked")
          Consumer<Map<String, String>> attrChange = (Consumer<Map<String, String>>) args[1];
          @SuppressWarnings("unchecked")
          Consumer<Map<String, Object>> dataChange = (Consumer<Map<String, Object>>) args[2];
          Map<String, String> attrs = onboardAttributes(idPrefix + "-" + (++n[0]));
          Map<String, Object> data = onboardData(org);
          attrChange.accept(attrs);
          dataChange.accept(data);
          cases.add(
              new Case(
                  (String) args[0],
                  attrs,
                  json(data),
                  org,
                  (RejectionCode) args[3],
                  (String) args[4]));
        };
    Consumer<Map<String, String>> sameAttrs = a -> {};
    Consumer<Map<String, Object>> sameData = d -> {};

    add.accept(
        new Object[] {
          "unknown type",
          (Consumer<Map<String, String>>) a -> a.put("ce-type", "org.delete.requested"),
          sameData,
          RejectionCode.UNKNOWN_TYPE,
          "ce-type"
        });
    add.accept(
        new Object[] {
          "unsupported specversion",
          (Consumer<Map<String, String>>) a -> a.put("ce-specversion", "0.3"),
          sameData,
          RejectionCode.UNSUPPORTED_SPECVERSION,
          "ce-specversion"
        });
    add.accept(
        new Object[] {
          "missing ce-id",
          (Consumer<Map<String, String>>) a -> a.remove("ce-id"),
          sameData,
          RejectionCode.MISSING_ATTRIBUTE,
          "ce-id"
        });
    add.accept(
        new Object[] {
          "missing ce-source",
          (Consumer<Map<String, String>>) a -> a.remove("ce-source"),
          sameData,
          RejectionCode.MISSING_ATTRIBUTE,
          "ce-source"
        });
    add.accept(
        new Object[] {
          "bad ce-time",
          (Consumer<Map<String, String>>) a -> a.put("ce-time", "yesterday"),
          sameData,
          RejectionCode.INVALID_ATTRIBUTE,
          "ce-time"
        });
    add.accept(
        new Object[] {
          "idempotency key with spaces",
          (Consumer<Map<String, String>>) a -> a.put("idempotency-key", "a b"),
          sameData,
          RejectionCode.INVALID_ATTRIBUTE,
          "idempotency-key"
        });
    add.accept(
        new Object[] {
          "missing field",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.remove("company_name"),
          RejectionCode.MISSING_FIELD,
          "data.company_name"
        });
    add.accept(
        new Object[] {
          "unknown field",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("drop_tables", true),
          RejectionCode.UNKNOWN_FIELD,
          "data.drop_tables"
        });
    add.accept(
        new Object[] {
          "wrong type",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("company_name", 42),
          RejectionCode.WRONG_TYPE,
          "data.company_name"
        });
    add.accept(
        new Object[] {
          "upper-case slug",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("org_slug", "Acme"),
          RejectionCode.INVALID_SLUG,
          "data.org_slug"
        });
    add.accept(
        new Object[] {
          "SQL in slug",
          sameAttrs,
          (Consumer<Map<String, Object>>)
              d -> d.put("org_slug", "x'; DROP SCHEMA organizations; --"),
          RejectionCode.INVALID_SLUG,
          "data.org_slug"
        });
    add.accept(
        new Object[] {
          "path in slug",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("org_slug", "../central"),
          RejectionCode.INVALID_SLUG,
          "data.org_slug"
        });
    add.accept(
        new Object[] {
          "bad e-mail",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("admin_email", "admin at acme"),
          RejectionCode.INVALID_EMAIL,
          "data.admin_email"
        });
    add.accept(
        new Object[] {
          "unknown plan",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("subscription_plan", "PLATINUM"),
          RejectionCode.UNKNOWN_PLAN,
          "data.subscription_plan"
        });
    add.accept(
        new Object[] {
          "non-ISO currency",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("default_currency", "XYZ"),
          RejectionCode.INVALID_CURRENCY,
          "data.default_currency"
        });
    add.accept(
        new Object[] {
          "lower-case currency",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("default_currency", "eur"),
          RejectionCode.INVALID_CURRENCY,
          "data.default_currency"
        });
    add.accept(
        new Object[] {
          "unknown time zone",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("default_timezone", "Mars/Olympus"),
          RejectionCode.UNKNOWN_TIMEZONE,
          "data.default_timezone"
        });
    add.accept(
        new Object[] {
          "oversized payload",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("company_name", "x".repeat(70_000)),
          RejectionCode.PAYLOAD_TOO_LARGE,
          "data"
        });

    Map<String, String> attrs = onboardAttributes(idPrefix + "-" + (++n[0]));
    cases.add(
        new Case(
            "payload not JSON",
            attrs,
            "{not json".getBytes(StandardCharsets.UTF_8),
            org,
            RejectionCode.PAYLOAD_NOT_JSON,
            "data"));
    attrs = onboardAttributes(idPrefix + "-" + (++n[0]));
    cases.add(
        new Case(
            "payload not an object",
            attrs,
            "[1,2,3]".getBytes(StandardCharsets.UTF_8),
            org,
            RejectionCode.PAYLOAD_NOT_OBJECT,
            "data"));
    attrs = onboardAttributes(idPrefix + "-" + (++n[0]));
    cases.add(
        new Case(
            "ordering key is not the slug",
            attrs,
            json(onboardData(org)),
            "someone_else",
            RejectionCode.ORDERING_KEY_MISMATCH,
            "ordering_key"));
    return cases;
  }
}
