package dev.orgprovisioner.app;

import dev.orgprovisioner.provisioning.Environment;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Core settings of the worker. */
@ConfigMapping(prefix = "provisioner")
public interface ProvisionerConfig {

  /** Deployment environment (local, stage, prod); org datasets are named {org}_{env}. */
  @WithDefault("local")
  Environment env();

  /** Directory holding the schema catalog; unset uses the catalog packaged in the application. */
  Optional<String> catalogPath();

  /** Create or complete the central dataset when the worker starts. */
  @WithDefault("false")
  boolean bootstrapOnStart();

  /** Publish a demo onboarding at start and print its completion event (the local run). */
  @WithDefault("false")
  boolean demo();
}
