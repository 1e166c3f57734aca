package dev.orgprovisioner.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The ops command line ({@code org-provisioner-runner.jar ops …} or {@code ./ops …}): dead-letter
 * queue, publishing commands, plans, status, jobs and roll-outs. It never starts the worker. Exit
 * codes: 0 ok, 1 failure, 2 usage error.
 */
@Command(
    name = "ops",
    mixinStandardHelpOptions = true,
    description =
        "Operations on the org-provisioner: DLQ, commands, plans, status, jobs, roll-outs.",
    subcommands = {
      DlqCommand.class,
      PublishCommand.class,
      PlanCommand.class,
      StatusCommand.class,
      JobsCommand.class,
      RolloutCommand.class,
      CommandLine.HelpCommand.class
    })
public final class OpsCli {

  /** The command line, ready to execute; failures print one line to stderr and exit 1. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new OpsCli());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // One line naming the problem, not the whole usage text: output stays readable in scripts.
    cli.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          failed.getErr().println("error: " + e.getMessage());
          failed.getErr().println("usage: " + failed.getCommandSpec().qualifiedName() + " --help");
          failed.getErr().flush();
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          commandLine.getErr().flush();
          return 1;
        });
    return cli;
  }

  /** Runs one ops command; returns its exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }
}
