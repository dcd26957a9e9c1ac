package io.smtpharness.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code completion}: a shell completion script for bash or zsh, generated from the command line's
 * own model (picocli's {@link AutoComplete}), so it always knows every command and option there is.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for bash or zsh, for a command named smtp-harness:",
                "  alias smtp-harness='java -jar /path/to/smtp-harness.jar'",
                "  source <(smtp-harness completion)        # bash; in zsh: source <(smtp-harness completion zsh)"})
final class CompletionCommand implements Callable<Integer> {

    /** The name the script completes: a wrapper script or alias of that name runs the jar. */
    static final String COMMAND_NAME = "smtp-harness";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "bash|zsh", defaultValue = "bash",
            description = "The shell (default: ${DEFAULT-VALUE}); the one script serves both, zsh through bashcompinit.")
    private String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new UsageException("completion: bash or zsh, not " + shell);
        }
        spec.commandLine().getOut().print(AutoComplete.bash(COMMAND_NAME, spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
