package dev.orgprovisioner.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.orgprovisioner.catalog.DatasetSettingsJson;
import dev.orgprovisioner.command.DecodeResult.Accepted;
import dev.orgprovisioner.command.DecodeResult.Rejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a Pub/Sub message (CloudEvents binary mode: {@code ce-*} attributes, JSON data) into a
 * validated {@link CommandEnvelope}, or a {@link Rejection} naming the offending field. Structure
 * is checked against the JSON Schemas in {@code schemas/messages/} (the same files the frontend
 * uses); what a schema cannot say (real currencies, IANA zones) is checked here.
 */
public final class CommandDecoder {

  public static final String SPECVERSION = "ce-specversion";
  public static final String TYPE = "ce-type";
  public static final String ID = "ce-id";
  public static final String SOURCE = "ce-source";
  public static final String TIME = "ce-time";
  public static final String IDEMPOTENCY_KEY = "idempotency-key";

  /** The onboarding's optional dataset settings object. */
  public static final String DATASET_SETTINGS = "dataset_settings";

  /** Default limit on the data of one command. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final Map<String, RejectionCode> FIELD_CODES =
      Map.of(
          "org_slug", RejectionCode.INVALID_SLUG,
          "admin_email", RejectionCode.INVALID_EMAIL,
          "subscription_plan", RejectionCode.UNKNOWN_PLAN,
          "default_currency", RejectionCode.INVALID_CURRENCY,
          "default_timezone", RejectionCode.UNKNOWN_TIMEZONE);

  private final Map<CommandType, JsonSchema> schemas;
  private final int maxPayloadBytes;

  public CommandDecoder(Map<CommandType, String> schemaJson, int maxPayloadBytes) {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    // ECMA-262 patterns, as the frontend evaluates them: Java's own '$' would also match before a
    // final line break and let "acme\n" through.
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder()
            .pathType(com.networknt.schema.PathType.LEGACY)
            .regularExpressionFactory(EcmaRegex.FACTORY)
            .build();
    this.schemas = new EnumMap<>(CommandType.class);
    schemaJson.forEach((type, json) -> schemas.put(type, factory.getSchema(json, config)));
    for (CommandType type : CommandType.values()) {
      if (!schemas.containsKey(type)) {
        throw new IllegalArgumentException("no JSON Schema for " + type.ceType());
      }
    }
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** A decoder over the schemas packaged under {@code schemas/messages/}. */
  public static CommandDecoder fromClasspath(ClassLoader loader, int maxPayloadBytes) {
    Map<CommandType, String> json = new EnumMap<>(CommandType.class);
    for (CommandType type : CommandType.values()) {
      String path = "schemas/messages/" + type.ceType() + ".schema.json";
      try (InputStream in = loader.getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException("missing " + path);
        }
        json.put(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new CommandDecoder(json, maxPayloadBytes);
  }

  /**
   * Decodes one message. Never throws: whatever goes wrong with one message is its rejection.
   *
   * @param orderingKey the Pub/Sub ordering key; null or empty when none was set
   */
  public DecodeResult decode(Map<String, String> attributes, byte[] data, String orderingKey) {
    return guarded(() -> decodeOrThrow(attributes, data, orderingKey, true));
  }

  /**
   * Decodes a command that did not come through Pub/Sub (an HTTP request's body): the same checks,
   * codes and fields as {@link #decode}, with the CloudEvents attributes made here and no ordering
   * key to check (the submission orders by org itself).
   *
   * @param idempotencyKey the caller's key; null: the command id
   */
  public DecodeResult decodeRequest(
      CommandType type, byte[] data, String id, String source, String idempotencyKey) {
    Map<String, String> attributes = new java.util.HashMap<>();
    attributes.put(SPECVERSION, "1.0");
    attributes.put(TYPE, type.ceType());
    attributes.put(ID, id);
    attributes.put(SOURCE, source);
    if (idempotencyKey != null) {
      attributes.put(IDEMPOTENCY_KEY, idempotencyKey);
    }
    return guarded(() -> decodeOrThrow(Map.copyOf(attributes), data, null, false));
  }

  /** Whatever goes wrong with one message is its rejection, never an exception. */
  private static DecodeResult guarded(java.util.function.Supplier<DecodeResult> decoding) {
    try {
      return decoding.get();
    } catch (OrgSlug.InvalidSlugException e) {
      return reject(RejectionCode.INVALID_SLUG, "data.org_slug", e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      // A check that failed unexpectedly must not fail the batch this message was claimed in.
      return reject(
          RejectionCode.UNDECODABLE,
          "data",
          "the command could not be decoded: " + e.getClass().getSimpleName());
    }
  }

  private DecodeResult decodeOrThrow(
      Map<String, String> attributes, byte[] data, String orderingKey, boolean ordered) {
    Map<String, String> attrs = attributes == null ? Map.of() : attributes;
    Rejection attributeProblem = CommandAttributes.check(attrs);
    if (attributeProblem != null) {
      return new Rejected(attributeProblem);
    }
    CommandType type = CommandType.fromCeType(attrs.get(TYPE)).orElseThrow();
    if (data == null || data.length == 0) {
      return reject(RejectionCode.PAYLOAD_NOT_JSON, "data", "the message has no data");
    }
    if (data.length > maxPayloadBytes) {
      return reject(
          RejectionCode.PAYLOAD_TOO_LARGE,
          "data",
          "data is " + data.length + " bytes; the limit is " + maxPayloadBytes);
    }
    JsonNode json;
    try {
      json = JSON.readTree(data);
    } catch (IOException e) {
      return reject(RejectionCode.PAYLOAD_NOT_JSON, "data", "data is not valid JSON");
    }
    if (json == null || !json.isObject()) {
      return reject(
          RejectionCode.PAYLOAD_NOT_OBJECT,
          "data",
          "data must be a JSON object, is " + (json == null ? "empty" : json.getNodeType()));
    }
    Set<ValidationMessage> errors = schemas.get(type).validate(json);
    if (!errors.isEmpty()) {
      return new Rejected(firstSchemaProblem(errors));
    }
    Rejection semantic = CommandSemantics.check(type, json);
    if (semantic != null) {
      return new Rejected(semantic);
    }
    Command command = toCommand(type, json);
    Rejection ordering = ordered ? checkOrderingKey(command, orderingKey) : null;
    if (ordering != null) {
      return new Rejected(ordering);
    }
    String canonical = canonical(json);
    String id = attrs.get(ID);
    String key = attrs.getOrDefault(IDEMPOTENCY_KEY, id);
    Instant time =
        attrs.containsKey(TIME) ? OffsetDateTime.parse(attrs.get(TIME)).toInstant() : null;
    return new Accepted(
        new CommandEnvelope(
            id,
            attrs.get(SOURCE),
            time,
            key,
            sha256(type.ceType() + "\n" + canonical),
            command,
            canonical,
            attrs));
  }

  private static Rejection firstSchemaProblem(Set<ValidationMessage> errors) {
    List<Rejection> rejections = new ArrayList<>();
    for (ValidationMessage m : errors) {
      String location = m.getInstanceLocation().toString().replace("$", "data");
      String field = location;
      RejectionCode code;
      switch (m.getType()) {
        case "required" -> {
          field = location + "." + m.getProperty();
          code = RejectionCode.MISSING_FIELD;
        }
        case "additionalProperties" -> {
          field = location + "." + m.getProperty();
          code = RejectionCode.UNKNOWN_FIELD;
        }
        case "type" -> code = RejectionCode.WRONG_TYPE;
        default -> code = codeForField(location);
      }
      rejections.add(new Rejection(code, field, field + ": " + stripLocation(m.getMessage())));
    }
    // Several problems: report the most basic first (missing before unknown before type before
    // value), so the answer is stable whatever order the validator found them in.
    return rejections.stream()
        .min(
            Comparator.comparing((Rejection r) -> r.code().ordinal())
                .thenComparing(Rejection::field))
        .orElseThrow();
  }

  private static RejectionCode codeForField(String location) {
    String leaf = location.substring(location.lastIndexOf('.') + 1);
    if (location.startsWith("data.scope")) {
      return location.equals("data.scope")
          ? RejectionCode.INVALID_VALUE
          : RejectionCode.INVALID_SLUG;
    }
    return FIELD_CODES.getOrDefault(leaf, RejectionCode.INVALID_VALUE);
  }

  private static String stripLocation(String message) {
    int colon = message.indexOf(": ");
    return colon > 0 && message.startsWith("$") ? message.substring(colon + 2) : message;
  }

  private static Rejection checkOrderingKey(Command command, String orderingKey) {
    if (command.org().isEmpty()) {
      return null;
    }
    String slug = command.org().get().value();
    if (!slug.equals(orderingKey)) {
      return new Rejection(
          RejectionCode.ORDERING_KEY_MISMATCH,
          "ordering_key",
          "the message ordering key must be the org slug '" + slug + "'");
    }
    return null;
  }

  /** Rebuilds the command from data that was validated when it was accepted (a stored job). */
  public static Command commandOf(CommandType type, String canonicalData) {
    try {
      return toCommand(type, JSON.readTree(canonicalData));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored command data is not JSON", e);
    }
  }

  private static Command toCommand(CommandType type, JsonNode json) {
    return switch (type) {
      case ONBOARD ->
          new Command.Onboard(
              OrgSlug.parse(json.path("org_slug").asText()),
              json.path("company_name").asText(),
              json.path("admin_email").asText(),
              SubscriptionPlan.valueOf(json.path("subscription_plan").asText()),
              json.path("default_currency").asText(),
              json.path("default_timezone").asText(),
              textOrNull(json, "dataset_location"),
              textOrNull(json, "api_key_sha256"),
              DatasetSettingsJson.read(json.path(DATASET_SETTINGS), (field, message) -> {}),
              json.path("regenerate_api_key_if_exists").asBoolean(false),
              json.path("dry_run").asBoolean(false),
              AccessGrantsJson.read(json.path("access")));
      case SYNC -> {
        JsonNode options = json.path("options");
        List<String> tables = new ArrayList<>();
        options.path("tables").forEach(t -> tables.add(t.asText()));
        yield new Command.Sync(
            OrgSlug.parse(json.path("org_slug").asText()),
            tables,
            options.path("columns").asBoolean(true),
            viewOption(options.path("views")),
            options.path("dry_run").asBoolean(false),
            AccessGrantsJson.read(json.path("access")),
            options.path("fail_on_non_additive_drift").asBoolean(false));
      }
      case ROTATE_API_KEY ->
          new Command.RotateApiKey(
              OrgSlug.parse(json.path("org_slug").asText()),
              json.path("api_key_sha256").asText(),
              json.path("revoke_previous").asBoolean(true));
      case CHANGE_PLAN ->
          new Command.ChangePlan(
              OrgSlug.parse(json.path("org_slug").asText()),
              SubscriptionPlan.valueOf(json.path("subscription_plan").asText()));
      case OFFBOARD ->
          new Command.Offboard(
              OrgSlug.parse(json.path("org_slug").asText()),
              json.path("reason").asText(),
              json.hasNonNull("grace_days") ? json.path("grace_days").asInt() : null);
      case RESTORE -> new Command.Restore(OrgSlug.parse(json.path("org_slug").asText()));
      case OFFBOARD_DEADLINE ->
          new Command.OffboardDeadline(
              OrgSlug.parse(json.path("org_slug").asText()),
              Instant.parse(json.path("deletion_scheduled_at").asText()));
      case BOOTSTRAP ->
          new Command.Bootstrap(json.path("options").path("dry_run").asBoolean(false));
      case ROLLOUT_START, ROLLOUT_RESUME, ROLLOUT_HALT, ROLLOUT_ABORT, ROLLOUT_WAVE_ENDED ->
          RolloutJson.command(type, json);
      case DRIFT_CHECK -> {
        JsonNode scope = json.path("scope");
        List<OrgSlug> orgs = new ArrayList<>();
        if (scope.isArray()) {
          scope.forEach(s -> orgs.add(OrgSlug.parse(s.asText())));
        }
        yield new Command.DriftCheck(orgs, json.path("auto_repair").asBoolean(true));
      }
    };
  }

  /** {@code options.views}: absent or true updates, false skips, "recreate" replaces every view. */
  private static ViewOption viewOption(JsonNode views) {
    if (views.isTextual() && "recreate".equals(views.asText())) {
      return ViewOption.RECREATE;
    }
    return views.asBoolean(true) ? ViewOption.UPDATE : ViewOption.SKIP;
  }

  private static String textOrNull(JsonNode json, String field) {
    JsonNode node = json.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  /** JSON with object keys sorted at every level, so equal payloads have equal fingerprints. */
  static String canonical(JsonNode json) {
    try {
      return JSON.writeValueAsString(sortKeys(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode sortKeys(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        sorted.put(e.getKey(), sortKeys(e.getValue()));
      }
      ObjectNode out = JSON.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var out = JSON.createArrayNode();
      node.forEach(n -> out.add(sortKeys(n)));
      return out;
    }
    return node;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Rejected reject(RejectionCode code, String field, String message) {
    return new Rejected(new Rejection(code, field, message));
  }
}
