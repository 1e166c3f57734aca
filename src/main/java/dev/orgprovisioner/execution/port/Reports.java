package dev.orgprovisioner.execution.port;

import java.time.Instant;
import java.util.Optional;

/** Port: named reports (JSON), each replaced by the next; e.g. the latest drift check. */
public interface Reports {

  void saveReport(String name, String json, Instant at);

  Optional<String> report(String name);
}
