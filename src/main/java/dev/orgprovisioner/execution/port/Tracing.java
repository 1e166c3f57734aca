package dev.orgprovisioner.execution.port;

import dev.orgprovisioner.command.TraceContext;
import dev.orgprovisioner.execution.Job;

/**
 * Port for one trace per command: spans for the intake of a command, each run of its job, each
 * warehouse call and the notifications of its events. The application puts OpenTelemetry behind it;
 * tests and tools use {@link #NONE}, which starts no span and only passes a context through. Every
 * method is cheap and never throws.
 */
public interface Tracing {

  /** Records nothing; a span's context is the parent it was given. */
  Tracing NONE = new Tracing() {};

  /** A span in progress, ended by {@link #close}. */
  interface Span extends AutoCloseable {

    /** The W3C context naming this span as parent (to store or send on), or null. */
    TraceContext context();

    /** Marks the span as failed, with a short code or reason (never a secret). */
    default void failed(String reason) {}

    /** Ends the span (and, if it was made current, restores the thread's previous span). */
    @Override
    void close();

    /** A span that records nothing and passes {@code context} on. */
    static Span passing(TraceContext context) {
      return new Span() {
        @Override
        public TraceContext context() {
          return context;
        }

        @Override
        public void close() {}
      };
    }
  }

  /**
   * Starts the span of a command message's intake, a child of the publisher's context (null or
   * sampled out: a new trace, or none). Not made current: the intake hands its context on itself.
   */
  default Span intake(TraceContext publisher, String messageId, String commandType) {
    return Span.passing(publisher);
  }

  /** Starts a run of {@code job}, a child of its stored context; current on this thread. */
  default Span job(Job job) {
    return Span.passing(job.trace());
  }

  /** Starts a warehouse call, a child of the current span; current on this thread. */
  default Span warehouseCall(String operation, String dataset, String orgSlug, String jobId) {
    return Span.passing(null);
  }

  /** Starts the notifier's handling of an event, a child of the event's context; current. */
  default Span notification(TraceContext event, String eventType, String eventId) {
    return Span.passing(event);
  }

  /** The context of the current thread's span, or null. */
  default TraceContext current() {
    return null;
  }
}
