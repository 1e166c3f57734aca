package dev.orgprovisioner.catalog;

/** A reference from a view template to a catalog table, e.g. {@code central.org_profiles}. */
public record TableRef(Scope scope, String table) {}
