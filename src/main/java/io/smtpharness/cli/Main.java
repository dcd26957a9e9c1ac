package io.smtpharness.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code smtp-harness} command: subcommands only. */
@Command(name = "smtp-harness", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "SMTP conformance and fuzz-testing harness (RFC 5321 and extensions).",
        subcommands = {RunCommand.class, FuzzCommand.class, LoadCommand.class, MxCommand.class, ServeCommand.class, RulesCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given writers; returns the exit code. For tests too. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        ExitCodes codes = new ExitCodes();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(codes);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ExitCodes.isExpected(ex)) {
                commandLine.getErr().println("error: " + ex.getMessage());
            } else {
                commandLine.getErr().println("internal error (please report): " + ex);
                ex.printStackTrace(commandLine.getErr());
            }
            return codes.getExitCode(ex);
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
