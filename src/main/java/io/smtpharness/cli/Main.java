package io.smtpharness.cli;

import io.smtpharness.report.Invocation;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.rules.Rule;
import io.smtpharness.rules.RuleCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code smtp-harness} command: subcommands only. */
@Command(name = "smtp-harness", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "SMTP conformance and fuzz-testing harness (RFC 5321 and extensions).",
        subcommands = {RunCommand.class, FuzzCommand.class, LoadCommand.class, MxCommand.class, ServeCommand.class, RulesCommand.class, ReportCommand.class,
                CompletionCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** The environment the commands read (--shard auto): the process's, or a test's. */
    private final Map<String, String> environment;

    private Main(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The environment variables, for the commands that read some. */
    Map<String, String> environment() {
        return environment;
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given writers; returns the exit code. For tests too. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, System.getenv(), args);
    }

    /** {@link #execute(PrintWriter, PrintWriter, String...)} with {@code environment} in place of the process's. */
    public static int execute(PrintWriter out, PrintWriter err, Map<String, String> environment, String... args) {
        ExitCodes codes = new ExitCodes();
        CommandLine cli = commandLine(environment);
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

    /** The command line's model, reading {@code environment}; parsing only, for checking command lines. */
    static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new Main(environment));
    }

    /** How {@code spec}'s command was started, for the reports: its arguments as given, quoted for a shell. */
    static Invocation invocation(CommandLine.Model.CommandSpec spec, Map<String, String> environment) {
        List<String> args = spec.commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.matches("[A-Za-z0-9_./:=@,+%-]+") ? a : "'" + a.replace("'", "'\\''") + "'").toList();
        return new Invocation(String.join(" ", args), environment);
    }

    /** The report writer of a command: rule titles from the catalogue, the invocation from {@code spec}. */
    static ReportWriter reportWriter(Path directory, CommandLine.Model.CommandSpec spec, Map<String, String> environment) {
        return new ReportWriter(directory, id -> RuleCatalog.standard().find(id).map(Rule::text))
                .invokedAs(invocation(spec, environment));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
