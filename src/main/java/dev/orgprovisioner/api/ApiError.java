package dev.orgprovisioner.api;

/**
 * The body of every API error: a machine-readable code, the offending field when there is one, and
 * a message for people.
 */
public record ApiError(String code, String field, String message) {}
