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

  /**
   * Attributes of the near-limit flood: with one more a test adds and the intake's dead-letter
   * attributes, its DLQ copy exceeds Pub/Sub's 100.
   */
  public static final int NEAR_LIMIT_ATTRIBUTES = 97;

  // One mapper for every call: a new one per command was an eighth of the simulation's CPU.
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private MalformedCommands() {}

  /** Pads {@code attrs} with {@code x-flood-N} attributes up to {@code total}. */
  static void flood(Map<String, String> attrs, int total) {
    for (int i = 0; attrs.size() < total; i++) {
      attrs.put("x-flood-" + i, "value-" + i);
    }
  }

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
      return JSON.writeValueAsBytes(data);
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
          "type only the worker issues (an offboarding's deadline)",
          (Consumer<Map<String, String>>)
              a -> a.put("ce-type", CommandType.OFFBOARD_DEADLINE.ceType()),
          sameData,
          RejectionCode.UNKNOWN_TYPE,
          "ce-type"
        });
    add.accept(
        new Object[] {
          "access principal without a valid e-mail",
          sameAttrs,
          (Consumer<Map<String, Object>>)
              d ->
                  d.put(
                      "access",
                      List.of(Map.of("principal", "group:analysts@acme", "role", "reader"))),
          RejectionCode.INVALID_VALUE,
          "data.access[0].principal"
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

    // What a JavaScript frontend's schema check rejects (ECMA-262: '$' is the very end): every
    // line terminator and trailing white space, in every field with a pattern.
    Map<String, String> endings = new LinkedHashMap<>();
    endings.put("LF", "\n");
    endings.put("CRLF", "\r\n");
    endings.put("CR", "\r");
    endings.put("LS", "\u2028");
    endings.put("PS", "\u2029");
    endings.put("NEL", "\u0085");
    endings.put("space", " ");
    endings.put("tab", "\t");
    endings.put("NBSP", "\u00A0");
    endings.forEach(
        (name, ending) ->
            add.accept(
                new Object[] {
                  "slug ending in " + name,
                  sameAttrs,
                  (Consumer<Map<String, Object>>) d -> d.put("org_slug", org + ending),
                  RejectionCode.INVALID_SLUG,
                  "data.org_slug"
                }));
    add.accept(
        new Object[] {
          "slug starting with LF",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("org_slug", "\n" + org),
          RejectionCode.INVALID_SLUG,
          "data.org_slug"
        });
    add.accept(
        new Object[] {
          "slug with an emoji",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("org_slug", org + "\uD83D\uDE80"),
          RejectionCode.INVALID_SLUG,
          "data.org_slug"
        });
    add.accept(
        new Object[] {
          "slug of the wrong type",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("org_slug", 42),
          RejectionCode.WRONG_TYPE,
          "data.org_slug"
        });
    add.accept(
        new Object[] {
          "currency ending in LF",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("default_currency", "EUR\n"),
          RejectionCode.INVALID_CURRENCY,
          "data.default_currency"
        });
    add.accept(
        new Object[] {
          "e-mail ending in LF",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("admin_email", "admin@acme.example\n"),
          RejectionCode.INVALID_EMAIL,
          "data.admin_email"
        });
    add.accept(
        new Object[] {
          "API key hash ending in CRLF",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put("api_key_sha256", "a".repeat(64) + "\r\n"),
          RejectionCode.INVALID_VALUE,
          "data.api_key_sha256"
        });
    String longKey = "k".repeat(3_000);
    add.accept(
        new Object[] {
          "unknown field with a 3,000-character name",
          sameAttrs,
          (Consumer<Map<String, Object>>) d -> d.put(longKey, true),
          RejectionCode.UNKNOWN_FIELD,
          Utf8Text.truncate("data." + longKey, Rejection.MAX_FIELD_BYTES)
        });
    add.accept(
        new Object[] {
          "missing ce-type",
          (Consumer<Map<String, String>>) a -> a.remove("ce-type"),
          sameData,
          RejectionCode.MISSING_ATTRIBUTE,
          "ce-type"
        });
    add.accept(
        new Object[] {
          "ce-id of 300 characters",
          (Consumer<Map<String, String>>) a -> a.put("ce-id", "i".repeat(300)),
          sameData,
          RejectionCode.INVALID_ATTRIBUTE,
          "ce-id"
        });
    String bigKey = "x-" + "\u00E9".repeat(150); // 302 bytes in UTF-8
    add.accept(
        new Object[] {
          "attribute key over 256 bytes",
          (Consumer<Map<String, String>>) a -> a.put(bigKey, "v"),
          sameData,
          RejectionCode.INVALID_ATTRIBUTE,
          Utf8Text.truncate(bigKey, Rejection.MAX_FIELD_BYTES)
        });
    add.accept(
        new Object[] {
          "attribute value over 1,024 bytes",
          (Consumer<Map<String, String>>) a -> a.put("x-note", "\u20AC".repeat(400)),
          sameData,
          RejectionCode.INVALID_ATTRIBUTE,
          "x-note"
        });
    add.accept(
        new Object[] {
          "flood of 120 attributes",
          (Consumer<Map<String, String>>) a -> flood(a, 120),
          sameData,
          RejectionCode.INVALID_ATTRIBUTE,
          "attributes"
        });
    add.accept(
        new Object[] {
          "flood of " + NEAR_LIMIT_ATTRIBUTES + " attributes and a slug ending in LF",
          (Consumer<Map<String, String>>) a -> flood(a, NEAR_LIMIT_ATTRIBUTES),
          (Consumer<Map<String, Object>>) d -> d.put("org_slug", org + "\n"),
          RejectionCode.INVALID_SLUG,
          "data.org_slug"
        });
    add.accept(
        new Object[] {
          "near-limit attribute values and an unknown plan",
          (Consumer<Map<String, String>>)
              a -> {
                for (int i = 0; i < 40; i++) {
                  a.put("x-big-" + i, "v".repeat(MessageLimits.MAX_VALUE_BYTES));
                }
              },
          (Consumer<Map<String, Object>>) d -> d.put("subscription_plan", "GOLD"),
          RejectionCode.UNKNOWN_PLAN,
          "data.subscription_plan"
        });

    Map<String, String> attrs = onboardAttributes(idPrefix + "-" + (++n[0]));
    cases.add(new Case("no data", attrs, new byte[0], org, RejectionCode.PAYLOAD_NOT_JSON, "data"));
    attrs = onboardAttributes(idPrefix + "-" + (++n[0]));
    cases.add(
        new Case(
            "data is JSON null",
            attrs,
            "null".getBytes(StandardCharsets.UTF_8),
            org,
            RejectionCode.PAYLOAD_NOT_OBJECT,
            "data"));
    attrs = onboardAttributes(idPrefix + "-" + (++n[0]));
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
