package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.testing.Tmux;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code completion}: the script it prints completes commands and options in a real bash, driven
 * the way bash drives a completion function (COMP_WORDS, COMP_CWORD), with the harness's own names.
 */
class CompletionTest {

    @TempDir
    static Path tmp;

    private static Path script;

    @BeforeAll
    static void writeScript() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "completion")).as(err.toString())
                .isZero();
        script = tmp.resolve("smtp-harness.bash");
        Files.writeString(script, out.toString());
    }

    /** What bash offers for the words typed so far ({@code typed}, the last one being completed). */
    private static List<String> complete(String... typed) throws Exception {
        String words = String.join(" ", List.of(typed).stream().map(w -> "'" + w + "'").toList());
        String driver = "source '" + script + "'; COMP_WORDS=(" + words + "); COMP_CWORD=" + (typed.length - 1)
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_smtp-harness;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", driver)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // bounds a hang only: the function returns in milliseconds
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> !l.isBlank()).toList();
    }

    @Test
    void bashCompletesCommandsAndTheirOptions() throws Exception {
        assertThat(complete("smtp-harness", "ru")).containsExactlyInAnyOrder("run", "rules");
        assertThat(complete("smtp-harness", "run", "--sha")).containsExactlyInAnyOrder("--shard", "--shard-total");
        assertThat(complete("smtp-harness", "fuzz", "--conn")).containsExactlyInAnyOrder("--connections", "--connect-timeout");
        assertThat(complete("smtp-harness", "report", "")).contains("merge");
    }

    /**
     * zsh, interactive in a real terminal, with the script sourced as the README says: Tab completes
     * through zsh's bashcompinit (the command itself is a stub: completion never runs it).
     */
    @Test
    void zshCompletesInARealTerminal() throws Exception {
        StringWriter zshScript = new StringWriter();
        assertThat(Main.execute(new PrintWriter(zshScript, true), new PrintWriter(new StringWriter(), true),
                "completion", "zsh")).isZero();
        Path home = Files.createDirectories(tmp.resolve("zsh-home"));
        Files.writeString(home.resolve("smtp-harness.zsh"), zshScript.toString());
        Files.writeString(home.resolve(".zshrc"), "PS1='%% '\nsmtp-harness() { :; }\nsource '"
                + home.resolve("smtp-harness.zsh") + "'\n");
        try (Tmux terminal = Tmux.start(150, "ZDOTDIR='" + home + "' zsh -i")) {
            terminal.waitFor(screen -> screen.contains("%")); // the prompt (the screen is read back without trailing blanks)
            terminal.send("smtp-harness run --sha", "Tab");
            terminal.waitFor(screen -> screen.contains("% smtp-harness run --shard"));
            terminal.send("C-u", "smtp-harness ru", "Tab");
            String offered = terminal.waitFor(screen -> screen.contains("rules"));
            assertThat(offered).containsPattern("rules\\s+run");
        }
    }

    @Test
    void anotherShellIsAUsageError() {
        StringWriter err = new StringWriter();
        assertThat(Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "completion",
                "fish")).isEqualTo(2);
        assertThat(err.toString()).contains("bash or zsh, not fish");
    }
}
