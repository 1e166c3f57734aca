package dev.orgprovisioner.cli;

import dev.orgprovisioner.command.Utf8Text;
import dev.orgprovisioner.messaging.DeadLetterQueue;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ops dlq list|replay}: inspect and replay dead-lettered commands. */
@Command(
    name = "dlq",
    description = "Dead-lettered commands.",
    subcommands = {DlqCommand.ListDeadLetters.class, DlqCommand.Replay.class})
final class DlqCommand {

  /** Options selecting dead letters. */
  static final class Selection {
    @Option(names = "--type", description = "Only this command type, e.g. org.onboard.requested.")
    String type;

    @Option(names = "--org", description = "Only commands of this org.")
    String org;

    @Option(
        names = "--reason",
        description = "Only this reason, e.g. DELIVERY_ATTEMPTS_EXHAUSTED or INVALID_VALUE.")
    String reason;

    DeadLetterQueue.Filter filter() {
      return new DeadLetterQueue.Filter(type, org, reason);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Show dead-lettered commands without consuming them.")
  static final class ListDeadLetters implements Runnable {
    @Mixin Connection connection;
    @Mixin Selection selection;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many.")
    int limit;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public void run() {
      if (limit < 1) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--limit must be at least 1");
      }
      List<DeadLetterQueue.DeadLetter> letters;
      try (DeadLetterQueue dlq = connection.deadLetterQueue()) {
        letters = dlq.list(selection.filter(), limit);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Output.json(out, letters);
        return;
      }
      out.printf(
          "%-20s %-28s %-24s %-28s %-28s %8s %-24s %7s %s%n",
          "MESSAGE_ID",
          "TYPE",
          "ORG",
          "REASON",
          "FIELD",
          "ATTEMPTS",
          "FIRST_FAILURE",
          "REPLAYS",
          "ENVELOPED_ATTRS");
      for (DeadLetterQueue.DeadLetter d : letters) {
        out.printf(
            "%-20s %-28s %-24s %-28s %-28s %8s %-24s %7d %s%n",
            d.messageId(),
            Output.orDash(d.type()),
            Output.orDash(d.org()),
            d.reason(),
            Output.orDash(d.field() == null ? null : Utf8Text.truncate(d.field(), 28)),
            Output.orDash(d.attempts()),
            d.firstFailureAt(),
            d.replayCount(),
            d.envelopedAttributes() == 0 ? "-" : Integer.toString(d.envelopedAttributes()));
      }
      out.printf("%d dead-lettered command(s)%n", letters.size());
      out.flush();
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description =
          "Republish dead-lettered commands to the commands topic (original data and attributes,"
              + " plus replay-count); each is acked only after its publication succeeded.")
  static final class Replay implements java.util.concurrent.Callable<Integer> {
    @Mixin Connection connection;
    @Mixin Selection selection;

    @Option(names = "--count", description = "Replay at most this many (default: all matching).")
    Integer count;

    @Option(
        names = "--include-rejected",
        description = "Also replay commands the intake rejected as invalid (skipped by default).")
    boolean includeRejected;

    @Option(names = "--dry-run", description = "Show what would be replayed; publish nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (count != null && count < 1) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--count must be at least 1");
      }
      PrintWriter err = spec.commandLine().getErr();
      long[] lastReport = {System.nanoTime()};
      DeadLetterQueue.ReplayReport report;
      try (DeadLetterQueue dlq = connection.deadLetterQueue()) {
        report =
            dlq.replay(
                selection.filter(),
                count == null ? Integer.MAX_VALUE : count,
                includeRejected,
                dryRun,
                n -> {
                  // Progress for long replays, on stderr so --json output stays parseable.
                  if (n % 100 == 0 || System.nanoTime() - lastReport[0] > 2_000_000_000L) {
                    err.printf("replayed %d…%n", n);
                    err.flush();
                    lastReport[0] = System.nanoTime();
                  }
                });
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Output.json(out, report);
      } else {
        for (DeadLetterQueue.Replayed r : report.replayed()) {
          out.printf(
              "%s %s %s %s (%s)%n",
              dryRun ? "would replay" : "replayed",
              r.deadLetter().messageId(),
              Output.orDash(r.deadLetter().type()),
              Output.orDash(r.deadLetter().org()),
              r.deadLetter().reason());
        }
        out.printf(
            "%s %d command(s); %d rejected skipped%s; %d message(s) examined%n",
            dryRun ? "Would replay" : "Replayed",
            report.replayed().size(),
            report.skippedRejected().size(),
            report.skippedRejected().isEmpty() || includeRejected ? "" : " (--include-rejected)",
            report.examined());
        out.flush();
      }
      if (!report.ok()) {
        err.println("error: " + report.error() + " (it stays in the DLQ)");
        err.flush();
        return 1;
      }
      return 0;
    }
  }

  private DlqCommand() {}
}
