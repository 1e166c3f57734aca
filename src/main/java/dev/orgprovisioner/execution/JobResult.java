package dev.orgprovisioner.execution;

/**
 * The successful end of a job: the terminal event's type and data.
 *
 * @param data serialised to the event's JSON data
 */
public record JobResult(String eventType, Object data) {}
