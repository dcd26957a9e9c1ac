package io.smtpharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of --tls and the AUTH credential options: exit 2 with a message, and no secret echoed. */
class TlsAndAuthOptionsTest {

    @TempDir
    Path tmp;

    private record Result(int exit, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void implicitTlsNeedsATarget() {
        Result r = run("run", "--tls", "--report-dir", tmp.resolve("r").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--tls needs --target");
    }

    @Test
    void aUserWithoutAPasswordIsAUsageError() {
        Result r = run("run", "--auth-user", "someone", "--auth-password-file", tmp.resolve("missing").toString(),
                "--report-dir", tmp.resolve("r").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--auth-password-file: cannot read");
    }

    @Test
    void aUserWithNeitherVariableNorFileIsAUsageError() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(AuthOptions.PASSWORD_VARIABLE) == null,
                AuthOptions.PASSWORD_VARIABLE + " is set in this environment");
        Result r = run("run", "--auth-user", "someone", "--report-dir", tmp.resolve("r").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--auth-user needs a password").contains(AuthOptions.PASSWORD_VARIABLE);
    }

    @Test
    void aPasswordFileWithoutAUserIsAUsageError() {
        Result r = run("run", "--auth-password-file", tmp.resolve("p").toString(),
                "--report-dir", tmp.resolve("r").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--auth-password-file needs --auth-user");
    }

    @Test
    void thereIsNoPasswordOption() {
        Result r = run("run", "--auth-user", "someone", "--auth-password", "hunter2");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--auth-password");
    }

    @Test
    void helpNamesTheEnvironmentVariable() {
        Result r = run("run", "--help");
        assertThat(r.out()).contains("--tls").contains("--tls-verify").contains("--auth-user")
                .contains("SMTP_HARNESS_AUTH_PASSWORD").contains("--auth-password-file");
    }
}
