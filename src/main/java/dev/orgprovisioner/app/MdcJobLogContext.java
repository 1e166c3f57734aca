package dev.orgprovisioner.app;

import dev.orgprovisioner.execution.Job;
import dev.orgprovisioner.execution.port.JobLogContext;
import jakarta.inject.Singleton;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * Puts {@code command_id}, {@code org_slug} and {@code job_id} in the logging MDC while a job runs,
 * so every line it logs (JUL from the domain included: JBoss LogManager copies the MDC into each
 * record) carries them; in production they become Cloud Logging labels.
 */
@Singleton
public class MdcJobLogContext implements JobLogContext {

  public static final String COMMAND_ID = "command_id";
  public static final String ORG_SLUG = "org_slug";
  public static final String JOB_ID = "job_id";

  @Override
  public Scope enter(Job job) {
    put(COMMAND_ID, job.commandId());
    put(ORG_SLUG, job.orgSlug());
    put(JOB_ID, job.id());
    return () -> {
      MDC.remove(COMMAND_ID);
      MDC.remove(ORG_SLUG);
      MDC.remove(JOB_ID);
    };
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /**
   * Wraps a task so it runs with the MDC of the thread that created it (a job's parallel table
   * steps log with the job's keys).
   */
  public static Runnable propagating(Runnable task) {
    Map<String, Object> context = MDC.getMap();
    if (context.isEmpty()) {
      return task;
    }
    return () -> {
      context.forEach(MDC::put);
      try {
        task.run();
      } finally {
        MDC.clear();
      }
    };
  }
}
