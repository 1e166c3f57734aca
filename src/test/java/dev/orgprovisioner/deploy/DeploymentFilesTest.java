package dev.orgprovisioner.deploy;

import static dev.orgprovisioner.deploy.Terraform.blocks;
import static dev.orgprovisioner.deploy.Terraform.get;
import static dev.orgprovisioner.deploy.Terraform.integer;
import static dev.orgprovisioner.deploy.Terraform.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.pubsub.v1.Subscription;
import dev.orgprovisioner.app.LedgerConfig;
import dev.orgprovisioner.messaging.MessagingConfig;
import dev.orgprovisioner.messaging.PubSubTopology;
import dev.orgprovisioner.testing.ConfigDefaults;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/terraform and the Dockerfile against the application: every name and setting the worker
 * expects (its configuration defaults, the topology it creates locally, the ledger's collections
 * and queries) exists in the Terraform with the right options.
 */
class DeploymentFilesTest {

  static final String WORKER = "serviceAccount:google_service_account.worker.email";
  private static final String PUBSUB_AGENT_SUFFIX = "@gcp-sa-pubsub.iam.gserviceaccount.com";

  private static Terraform tf;
  private static MessagingConfig messaging;
  private static LedgerConfig ledger;

  @BeforeAll
  static void load() {
    tf = Terraform.load();
    messaging = defaults(MessagingConfig.class);
    ledger = defaults(LedgerConfig.class);
  }

  /** A configuration mapping with nothing set: the application's own defaults. */
  static <T> T defaults(Class<T> mapping) {
    return ConfigDefaults.of(mapping);
  }

  static SmallRyeConfigBuilder quarkusConverters(SmallRyeConfigBuilder builder) {
    return ConfigDefaults.quarkusConverters(builder);
  }

  private static Map<String, Object> topicNamed(String name) {
    return tf.resourceWhere("google_pubsub_topic", "name", name)
        .orElseThrow(() -> new AssertionError("no google_pubsub_topic named " + name))
        .getValue();
  }

  private static Map<String, Object> subscriptionNamed(String name) {
    return tf.resourceWhere("google_pubsub_subscription", "name", name)
        .orElseThrow(() -> new AssertionError("no google_pubsub_subscription named " + name))
        .getValue();
  }

  private static String resourceNameOf(String type, String name) {
    return tf.resourceWhere(type, "name", name).orElseThrow().getKey();
  }

  // ------------------------------------------------------------------ Pub/Sub

  @Test
  void everyPubSubIncomingChannel_drainsWithinCloudRunsTenSecondsAfterSigterm() throws IOException {
    java.util.Properties props = new java.util.Properties();
    try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
      props.load(in);
    }
    List<String> channels =
        props.stringPropertyNames().stream()
            .filter(k -> k.matches("mp\\.messaging\\.incoming\\.[^.]+\\.connector"))
            .filter(k -> props.getProperty(k).equals("google-pubsub"))
            .map(k -> k.split("\\.")[3])
            .toList();
    assertThat(channels).contains("commands", "notifications");
    java.time.Duration budget = java.time.Duration.ofSeconds(10);
    java.time.Duration grace =
        defaults(dev.orgprovisioner.app.ExecutionConfig.class).shutdownGrace();
    for (String channel : channels) {
      // The connector's default (30 s) would keep a stopping instance past Cloud Run's SIGKILL.
      String timeout = props.getProperty("mp.messaging.incoming." + channel + ".shutdown-timeout");
      assertThat(timeout).as("shutdown-timeout of channel %s", channel).isNotNull();
      java.time.Duration drain =
          new io.quarkus.runtime.configuration.DurationConverter().convert(timeout);
      assertThat(drain)
          .as("channel %s drains in parallel with the jobs' grace", channel)
          .isLessThan(budget);
    }
    assertThat(grace).as("execution.shutdown-grace").isLessThan(budget);
  }

  @Test
  void topicsAndSubscriptions_carryTheNamesTheWorkerDefaultsTo() {
    topicNamed(messaging.commandsTopic());
    topicNamed(messaging.dlqTopic());
    topicNamed(messaging.eventsTopic());

    assertThat(tf.resolve(subscriptionNamed(messaging.commandsSubscription()).get("topic")))
        .isEqualTo(messaging.commandsTopic());
    assertThat(tf.resolve(subscriptionNamed(messaging.dlqSubscription()).get("topic")))
        .as("the DLQ has a subscription, so dead letters are kept")
        .isEqualTo(messaging.dlqTopic());
  }

  @Test
  void commandsSubscription_hasTheSettingsOfTheTopologyTheWorkerCreates() {
    Subscription expected = new PubSubTopology(messaging).commandsSubscription();
    Map<String, Object> sub = subscriptionNamed(messaging.commandsSubscription());

    assertThat(sub.get("enable_message_ordering"))
        .isEqualTo(expected.getEnableMessageOrdering())
        .isEqualTo(true);
    assertThat(sub.get("enable_exactly_once_delivery")).isEqualTo(true);
    assertThat(tf.resolve(get(sub, "dead_letter_policy", "dead_letter_topic")))
        .isEqualTo(lastSegment(expected.getDeadLetterPolicy().getDeadLetterTopic()));
    assertThat(integer(get(sub, "dead_letter_policy", "max_delivery_attempts")))
        .isEqualTo(expected.getDeadLetterPolicy().getMaxDeliveryAttempts())
        .isEqualTo(5);
    assertThat(seconds(get(sub, "retry_policy", "minimum_backoff")))
        .isEqualTo(expected.getRetryPolicy().getMinimumBackoff().getSeconds());
    assertThat(seconds(get(sub, "retry_policy", "maximum_backoff")))
        .isEqualTo(expected.getRetryPolicy().getMaximumBackoff().getSeconds())
        .isGreaterThan(seconds(get(sub, "retry_policy", "minimum_backoff")));
    assertThat(get(sub, "expiration_policy", "ttl")).as("never expires").isEqualTo("");
  }

  @Test
  void commandsAckDeadline_outlastsTheLongestIntakeStep() {
    int ack =
        integer(subscriptionNamed(messaging.commandsSubscription()).get("ack_deadline_seconds"));

    assertThat(ack)
        .isGreaterThanOrEqualTo(messaging.ackDeadlineSeconds())
        // The intake holds a command for up to this window while Firestore is unreachable.
        .isGreaterThan(messaging.intakeRetryWindowSeconds());
  }

  @Test
  void dlqSubscription_keepsDeadLettersAsLongAsTheWorkersOwnTopology() {
    Subscription expected = new PubSubTopology(messaging).dlqSubscription();
    Map<String, Object> sub = subscriptionNamed(messaging.dlqSubscription());

    assertThat(seconds(sub.get("message_retention_duration")))
        .isEqualTo(expected.getMessageRetentionDuration().getSeconds());
    assertThat(get(sub, "expiration_policy", "ttl")).as("never expires").isEqualTo("");
    assertThat(sub).doesNotContainKey("dead_letter_policy");
  }

  @Test
  void pubsubServiceAgent_mayPublishDeadLettersAndAckTheirSource() {
    String dlq = resourceNameOf("google_pubsub_topic", messaging.dlqTopic());
    String commands =
        resourceNameOf("google_pubsub_subscription", messaging.commandsSubscription());

    Set<String> agentTopicGrants =
        grants("google_pubsub_topic_iam_member", "topic").entrySet().stream()
            .filter(e -> e.getKey().endsWith(PUBSUB_AGENT_SUFFIX))
            .flatMap(e -> e.getValue().stream())
            .collect(Collectors.toSet());
    Set<String> agentSubscriptionGrants =
        grants("google_pubsub_subscription_iam_member", "subscription").entrySet().stream()
            .filter(e -> e.getKey().endsWith(PUBSUB_AGENT_SUFFIX))
            .flatMap(e -> e.getValue().stream())
            .collect(Collectors.toSet());

    assertThat(agentTopicGrants).containsExactly(messaging.dlqTopic() + " roles/pubsub.publisher");
    assertThat(agentSubscriptionGrants)
        .containsExactly(messaging.commandsSubscription() + " roles/pubsub.subscriber");
    assertThat(tf.resource("google_pubsub_subscription", commands).get("depends_on").toString())
        .as("the grant exists before the subscription dead-letters anything")
        .contains("google_pubsub_topic_iam_member.dlq_publisher_pubsub_agent");
    assertThat(dlq).isNotBlank();
  }

  // ------------------------------------------------------------------ IAM

  @Test
  void worker_getsPubSubRolesOnlyOnItsOwnTopicsAndSubscriptions() {
    assertThat(tf.resources("google_project_iam_member").values())
        .as("no project-wide Pub/Sub role")
        .noneMatch(r -> String.valueOf(r.get("role")).startsWith("roles/pubsub."));

    Set<String> topics = grants("google_pubsub_topic_iam_member", "topic").get(WORKER);
    Set<String> subscriptions =
        grants("google_pubsub_subscription_iam_member", "subscription").get(WORKER);

    assertThat(topics)
        .containsExactlyInAnyOrder(
            messaging.eventsTopic() + " roles/pubsub.publisher",
            messaging.dlqTopic() + " roles/pubsub.publisher",
            messaging.commandsTopic() + " roles/pubsub.publisher");
    assertThat(subscriptions)
        .contains(
            messaging.commandsSubscription() + " roles/pubsub.subscriber",
            messaging.dlqSubscription() + " roles/pubsub.subscriber")
        .allMatch(g -> g.endsWith(" roles/pubsub.subscriber"));
  }

  @Test
  void worker_projectRolesAreDatastoreUserOnItsDatabaseAndBigQueryEditorAndJobUser() {
    Map<String, Map<String, Object>> byRole = new LinkedHashMap<>();
    tf.resources("google_project_iam_member").values().stream()
        .filter(r -> WORKER.equals(r.get("member")))
        .forEach(r -> byRole.put((String) r.get("role"), r));

    assertThat(byRole.keySet())
        .containsExactlyInAnyOrder(
            "roles/datastore.user", "roles/bigquery.dataEditor", "roles/bigquery.jobUser");
    assertThat(get(byRole.get("roles/datastore.user"), "condition", "expression").toString())
        .contains("/databases/" + ledger.databaseId());
    assertThat(tf.resources("google_project_iam_member").values())
        .extracting(r -> r.get("role"))
        .doesNotContain(
            "roles/owner", "roles/editor", "roles/bigquery.admin", "roles/datastore.owner");
    assertThat(tf.resources("google_secret_manager_secret_iam_member").values())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("member")).isEqualTo(WORKER);
              assertThat(r.get("role")).isEqualTo("roles/secretmanager.secretAccessor");
            });
  }

  /** member → {"<resource name> <role>"} of one kind of IAM member resource. */
  private static Map<String, Set<String>> grants(String type, String attribute) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (Map<String, Object> r : tf.resources(type).values()) {
      String target = String.valueOf(tf.resolve(targetReference(r.get(attribute))));
      out.computeIfAbsent(String.valueOf(r.get("member")), m -> new TreeSet<>())
          .add(target + " " + r.get("role"));
    }
    return out;
  }

  // hcl4j renders google_x.y[0].name as google_x.y.value.name.
  private static Object targetReference(Object value) {
    return value instanceof String s ? s.replace(".value.", ".") : value;
  }

  // ------------------------------------------------------------------ Firestore

  @Test
  void firestoreDatabase_isTheLedgersNativeModeDatabase() {
    Map<String, Object> db = tf.resource("google_firestore_database", "ledger");

    assertThat(db.get("name")).isEqualTo(ledger.databaseId());
    assertThat(db.get("type")).isEqualTo("FIRESTORE_NATIVE");
    assertThat(tf.variableDefault("collection_prefix")).isEqualTo(ledger.collectionPrefix());
  }

  @Test
  void firestoreIndexes_coverEveryQueryTheLedgerMakes() throws IOException {
    LedgerSource source = LedgerSource.read();
    Set<String> declared = new TreeSet<>();
    for (Map<String, Object> index : tf.resources("google_firestore_index").values()) {
      String fields =
          blocks(index.get("fields")).stream()
              .map(f -> String.valueOf(f.get("field_path")))
              .collect(Collectors.joining(","));
      declared.add(index.get("collection") + ":" + fields);
    }

    List<LedgerSource.Query> queries = source.queries();
    assertThat(queries).as("the ledger's queries were found").hasSizeGreaterThanOrEqualTo(3);
    for (LedgerSource.Query q : queries) {
      String collection = ledger.collectionPrefix() + q.collection();
      if (q.fields().size() < 2) {
        // One field: the automatic single-field index serves it; it must not be exempted.
        assertThat(tf.resources("google_firestore_field").values())
            .as("single-field index of %s.%s stays on", collection, q.fields())
            .noneMatch(
                f ->
                    collection.equals(f.get("collection"))
                        && q.fields().contains(f.get("field"))
                        && f.containsKey("index_config"));
        continue;
      }
      assertThat(declared)
          .as("a composite index for %s on %s", collection, q)
          .anyMatch(d -> q.servedBy(collection, d));
    }
    for (String index : declared) {
      String[] parts = index.split(":");
      assertThat(source.collections())
          .as("index %s is on a ledger collection", index)
          .contains(parts[0].substring(ledger.collectionPrefix().length()));
      assertThat(source.fieldNames())
          .as("index %s names fields the ledger writes", index)
          .contains(parts[1].split(","));
    }
  }

  /**
   * The paged job listing builds its query from optional filters (the query scan above cannot see
   * it): newest first by created_at, filtered by state, org or both.
   */
  @Test
  void firestoreIndexes_serveThePagedJobListingByStateOrgOrBoth() {
    Set<String> declared = new TreeSet<>();
    for (Map<String, Object> index : tf.resources("google_firestore_index").values()) {
      declared.add(
          index.get("collection")
              + ":"
              + blocks(index.get("fields")).stream()
                  .map(f -> f.get("field_path") + " " + f.get("order"))
                  .collect(Collectors.joining(",")));
    }
    String jobs = ledger.collectionPrefix() + "jobs";

    assertThat(declared)
        .contains(
            jobs + ":state ASCENDING,created_at DESCENDING",
            jobs + ":org_slug ASCENDING,created_at DESCENDING",
            jobs + ":org_slug ASCENDING,state ASCENDING,created_at DESCENDING");
  }

  // ------------------------------------------------------------------ Cloud Run

  @Test
  void cloudRun_keepsAnInstanceRunningWithCpuAlwaysAllocated() {
    Map<String, Object> run = tf.resource("google_cloud_run_v2_service", "worker");

    assertThat(integer(get(run, "template", "scaling", "min_instance_count")))
        .isGreaterThanOrEqualTo(1);
    assertThat(get(run, "template", "containers", "resources", "cpu_idle")).isEqualTo(false);
    assertThat(get(run, "template", "service_account"))
        .isEqualTo("google_service_account.worker.email");
  }

  @Test
  void cloudRun_probesAndPortMatchTheImageAndQuarkusHealth() {
    Map<String, Object> container =
        blocks(get(tf.resource("google_cloud_run_v2_service", "worker"), "template", "containers"))
            .get(0);
    int port = integer(get(container, "ports", "container_port"));

    assertThat(Dockerfile.load().last("EXPOSE")).contains(String.valueOf(port));
    assertThat(get(container, "startup_probe", "http_get", "path")).isEqualTo("/q/health/started");
    assertThat(get(container, "liveness_probe", "http_get", "path")).isEqualTo("/q/health/live");
    assertThat(integer(get(container, "startup_probe", "http_get", "port"))).isEqualTo(port);
    assertThat(integer(get(container, "liveness_probe", "http_get", "port"))).isEqualTo(port);
    assertThat(applicationProperties())
        .as("the health paths and HTTP port are Quarkus' defaults")
        .doesNotContainPattern(
            "(?m)^quarkus\\.(smallrye-health\\.|http\\.root-path|http\\.port"
                + "|http\\.non-application-root-path)");
  }

  @Test
  void cloudRun_environmentVariablesAreConfigKeysOfTheWorker() throws IOException {
    Map<String, Object> container =
        blocks(get(tf.resource("google_cloud_run_v2_service", "worker"), "template", "containers"))
            .get(0);
    Map<String, String> env = new LinkedHashMap<>();
    for (Map<String, Object> e : blocks(container.get("env"))) {
      Object value = e.containsKey("value_source") ? "0".repeat(64) : tf.resolve(e.get("value"));
      env.put(
          (String) e.get("name"),
          value instanceof Double d ? String.valueOf(d.intValue()) : String.valueOf(value));
    }

    ConfigKeys keys = ConfigKeys.ofApplication();
    assertThat(env.keySet())
        .allSatisfy(
            name ->
                assertThat(keys.knows(name))
                    .as("%s is the environment form of a config key of the worker", name)
                    .isTrue());
    // The values convert: the worker would start with them.
    keys.loadAll(env);

    assertThat(env)
        .containsEntry("WAREHOUSE_KIND", "bigquery")
        .containsEntry("MESSAGING_CREATE_TOPOLOGY", "false")
        .containsEntry("MESSAGING_COMMANDS_TOPIC", messaging.commandsTopic())
        .containsEntry("MESSAGING_COMMANDS_SUBSCRIPTION", messaging.commandsSubscription())
        .containsEntry("MESSAGING_DLQ_TOPIC", messaging.dlqTopic())
        .containsEntry("MESSAGING_DLQ_SUBSCRIPTION", messaging.dlqSubscription())
        .containsEntry("MESSAGING_EVENTS_TOPIC", messaging.eventsTopic())
        .containsEntry("LEDGER_DATABASE_ID", ledger.databaseId())
        .containsEntry("LEDGER_COLLECTION_PREFIX", ledger.collectionPrefix())
        .containsKeys(
            "PROVISIONER_ENV",
            "MESSAGING_PROJECT_ID",
            "LEDGER_PROJECT_ID",
            "WAREHOUSE_BIGQUERY_PROJECT_ID",
            "ADMIN_API_KEY_SHA256");
  }

  // ------------------------------------------------------------------ Dockerfile

  @Test
  void dockerImage_setsTheWarehouseKindExplicitly_soProductionNeverRunsOnAnInMemoryDuckDb() {
    List<Dockerfile.Instruction> env =
        Dockerfile.load().finalStage().stream().filter(i -> i.keyword().equals("ENV")).toList();

    assertThat(env)
        .anySatisfy(i -> assertThat(i.arguments()).containsPattern("WAREHOUSE_KIND=bigquery\\b"));
    assertThat(ConfigKeys.ofApplication().knows("WAREHOUSE_KIND")).isTrue();
  }

  @Test
  void dockerfile_runsTheRunnerJarWithItsLibOnAJava17RuntimeAsANonRootUser() throws IOException {
    Dockerfile docker = Dockerfile.load();

    assertThat(docker.runtimeImage()).matches("eclipse-temurin:17(\\.[0-9.]+)?-jre.*");
    assertThat(docker.last("USER"))
        .hasValueSatisfying(user -> assertThat(user).isNotIn("0", "root").doesNotStartWith("0:"));
    assertThat(docker.lastIndex("USER")).isLessThan(docker.lastIndex("ENTRYPOINT"));
    assertThat(docker.entrypoint().get(0)).isEqualTo("java");

    // The jar the entry point runs is the build's target/worker/org-provisioner-runner.jar, and the
    // directory it loads from (lib/) sits beside it as in the build.
    String jar = docker.entrypointJar();
    String imageDir = jar.substring(0, jar.lastIndexOf('/') + 1);
    assertThat(docker.projectPathOf(jar)).contains(QuarkusLayout.DIR + "/" + QuarkusLayout.RUNNER);
    for (String part : QuarkusLayout.PARTS) {
      assertThat(docker.projectPathOf(imageDir + part + "/"))
          .as(
              "%s%s/ in the image comes from the build's %s/%s/",
              imageDir, part, QuarkusLayout.DIR, part)
          .contains(QuarkusLayout.DIR + "/" + part + "/");
    }
    // The build stage produces that layout: `package`, with the jar type and output directory the
    // application properties set (the JDK's own class loader, see docs/performance.md).
    assertThat(docker.stages()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(docker.stages().get(0))
        .anyMatch(i -> i.keyword().equals("RUN") && i.arguments().contains(" package"));
    assertThat(applicationProperties())
        .as("the runner jar and lib/ in target/worker/ is what the image copies")
        .containsPattern("(?m)^quarkus\\.package\\.jar\\.type=legacy-jar$")
        .containsPattern("(?m)^quarkus\\.package\\.output-directory=worker$")
        .containsPattern("(?m)^quarkus\\.package\\.output-name=org-provisioner$");
    assertThat(Files.readString(Path.of("pom.xml")))
        .as("no second packaging setting in the POM")
        .doesNotContain("quarkus.package.jar.type")
        .doesNotContain("<quarkus.package.type>");
  }

  static String applicationProperties() {
    try {
      return Files.readString(Path.of("src/main/resources/application.properties"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String lastSegment(String resourceName) {
    return resourceName.substring(resourceName.lastIndexOf('/') + 1);
  }

  /** The packaged layout the build writes: a runner jar with its dependencies in lib/. */
  static final class QuarkusLayout {
    static final String DIR = "target/worker";
    static final String RUNNER = "org-provisioner-runner.jar";
    static final List<String> PARTS = List.of("lib");

    private QuarkusLayout() {}
  }

  /** The ledger's source: its collections, the fields it writes and the queries it makes. */
  record LedgerSource(String text) {

    static final Path DIR = Path.of("src/main/java/dev/orgprovisioner/ledger");
    private static final Pattern COLLECTION =
        Pattern.compile("this\\.(\\w+)\\s*=\\s*db\\.collection\\(\\w+\\s*\\+\\s*\"(\\w+)\"\\)");
    private static final Pattern CALL = Pattern.compile("\\.(where\\w+|orderBy)\\(\\s*\"(\\w+)\"");

    /** Every Firestore source of the ledger adapter, as one text. */
    static LedgerSource read() throws IOException {
      StringBuilder text = new StringBuilder();
      try (var files = Files.list(DIR)) {
        for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
          text.append(Files.readString(p)).append('\n');
        }
      }
      // Field names are constants (LedgerDocs): read them as the quoted names they stand for.
      String source = text.toString();
      Matcher constant =
          Pattern.compile("static final String (\\w+) = \"([a-z_]+)\";").matcher(source);
      Map<String, String> names = new LinkedHashMap<>();
      while (constant.find()) {
        names.put(constant.group(1), constant.group(2));
      }
      for (Map.Entry<String, String> n : names.entrySet()) {
        source = source.replaceAll("\\b" + n.getKey() + "\\b", "\"" + n.getValue() + "\"");
      }
      return new LedgerSource(source);
    }

    /** field name in Java → collection suffix, e.g. jobs → "jobs". */
    Map<String, String> collectionFields() {
      Map<String, String> out = new LinkedHashMap<>();
      Matcher m = COLLECTION.matcher(text);
      while (m.find()) {
        out.put(m.group(1), m.group(2));
      }
      return out;
    }

    Set<String> collections() {
      return new TreeSet<>(collectionFields().values());
    }

    /** Every quoted snake_case name in the source (the document fields it writes and reads). */
    Set<String> fieldNames() {
      Set<String> out = new TreeSet<>();
      Matcher m = Pattern.compile("\"([a-z_]+)\"").matcher(text);
      while (m.find()) {
        out.add(m.group(1));
      }
      return out;
    }

    /** Query chains written as {@code <collection>.where...(...)...get()}. */
    List<Query> queries() {
      List<Query> out = new java.util.ArrayList<>();
      for (Map.Entry<String, String> c : collectionFields().entrySet()) {
        Matcher start =
            Pattern.compile("\\b" + c.getKey() + "\\s*\\.(where|orderBy)").matcher(text);
        while (start.find()) {
          int end = text.indexOf(".get()", start.start());
          String chain = text.substring(start.start(), end < 0 ? text.length() : end);
          Set<String> equality = new java.util.LinkedHashSet<>();
          Set<String> range = new java.util.LinkedHashSet<>();
          Matcher call = CALL.matcher(chain);
          while (call.find()) {
            String op = call.group(1);
            boolean isEquality =
                op.equals("whereEqualTo") || op.equals("whereIn") || op.startsWith("whereArray");
            (isEquality ? equality : range).add(call.group(2));
          }
          out.add(new Query(c.getValue(), List.copyOf(equality), List.copyOf(range)));
        }
      }
      return out;
    }

    /** One query: its equality fields and its range/order fields. */
    record Query(String collection, List<String> equality, List<String> range) {
      Set<String> fields() {
        Set<String> all = new java.util.LinkedHashSet<>(equality);
        all.addAll(range);
        return all;
      }

      /** Equality fields first (any order), then the range field, as Firestore requires. */
      boolean servedBy(String prefixedCollection, String declared) {
        String[] parts = declared.split(":");
        if (!parts[0].equals(prefixedCollection)) {
          return false;
        }
        List<String> fields = List.of(parts[1].split(","));
        if (fields.size() != fields().size()) {
          return false;
        }
        if (range.isEmpty()) {
          return Set.copyOf(fields).equals(fields());
        }
        return range.size() == 1
            && fields.get(fields.size() - 1).equals(range.get(0))
            && Set.copyOf(fields.subList(0, fields.size() - 1)).equals(Set.copyOf(equality));
      }
    }
  }
}
