package dev.orgprovisioner.command;

/**
 * Why a command was refused.
 *
 * @param field the offending attribute ({@code ce-type}) or data field ({@code data.org_slug})
 */
public record Rejection(RejectionCode code, String field, String message) {}
