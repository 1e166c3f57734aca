package dev.orgprovisioner.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orgprovisioner.command.CommandType;
import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.JobState;
import dev.orgprovisioner.execution.port.JobLogContext;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.logging.json.runtime.JsonLogConfig;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A line logged while a job runs, formatted by Quarkus's JSON formatter with the production
 * profile's settings from application.properties: Cloud Logging's field names and the job's keys as
 * labels.
 */
class CloudLoggingFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String prod(Properties props, String key) {
    String value = props.getProperty("%prod." + key);
    assertThat(value).as("%prod." + key).isNotNull();
    return value;
  }

  @Test
  void jobLogLine_inProductionFormat_hasSeverityMessageTimeAndTheJobsLabels() throws Exception {
    Properties props = new Properties();
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("application.properties")) {
      props.load(in);
    }
    assertThat(prod(props, "quarkus.log.console.json.enabled")).isEqualTo("true");
    assertThat(prod(props, "quarkus.log.console.json.log-format")).isEqualTo("gcp");
    JsonFormatter formatter =
        new JsonFormatter(
            prod(props, "quarkus.log.console.json.key-overrides"),
            Set.of(prod(props, "quarkus.log.console.json.excluded-keys").split(",")),
            Map.of());
    formatter.setLogFormat(JsonLogConfig.JsonConfig.LogFormat.GCP);

    List<String> lines = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("dev.orgprovisioner.execution.CloudLoggingFormatProbe");
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(formatter.format(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(capture);
    Job job =
        new Job(
            "job-123",
            CommandType.ONBOARD,
            "acme",
            "acme",
            1,
            JobState.RUNNING,
            1,
            1,
            Instant.now(),
            "worker-1",
            Instant.now(),
            "cmd-456",
            "key",
            "key-id",
            "fp",
            "{}",
            Map.of(),
            List.of(),
            Map.of(),
            Instant.now(),
            Instant.now(),
            null);
    JobLogContext context = new MdcJobLogContext();
    try (JobLogContext.Scope scope = context.enter(job)) {
      logger.warning("Running job job-123");
    } finally {
      logger.removeHandler(capture);
    }
    logger.info("after the job");

    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    assertThat(line.path("severity").asText()).isEqualTo("WARNING");
    assertThat(line.path("message").asText()).isEqualTo("Running job job-123");
    assertThat(line.path("time").asText()).isNotBlank();
    assertThat(line.has("level")).isFalse();
    JsonNode labels = line.path("logging.googleapis.com/labels");
    assertThat(labels.path("command_id").asText()).isEqualTo("cmd-456");
    assertThat(labels.path("org_slug").asText()).isEqualTo("acme");
    assertThat(labels.path("job_id").asText()).isEqualTo("job-123");
    assertThat(org.jboss.logging.MDC.getMap()).doesNotContainKeys("job_id", "org_slug");
  }
}
