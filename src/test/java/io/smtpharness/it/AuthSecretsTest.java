package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smtpharness.cli.Main;
import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.AuthCredentials;
import io.smtpharness.dialogue.RunExecutor;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.report.ReportWriter;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import io.smtpharness.server.AuthAccount;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ReferenceServer;
import io.smtpharness.server.ServerConfig;
import io.smtpharness.server.TlsIdentity;
import io.smtpharness.suite.SuiteLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUTH secrets never reach a report or the terminal (RFC 4954 cases run with a known password):
 * every file of the report directory (summary.json, junit.xml, index.html, allure-results/*) and
 * the run's output are scanned for the password and its base64 forms (PLAIN's NUL user NUL
 * password, LOGIN's password), for the right and the deliberately wrong password alike.
 */
class AuthSecretsTest {

    private static final String USER = "scan-user";
    private static final String PASSWORD = "Sekr3t-Pass-4-Scan";

    @TempDir
    Path tmp;

    @Test
    void aRunOfTheAuthCasesWritesNoSecretAnywhere() throws Exception {
        Path passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD + "\n");
        Path reports = tmp.resolve("reports");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run",
                "--suite", "test-suites/rfc4954-auth.yaml", "--auth-user", USER,
                "--auth-password-file", passwordFile.toString(), "--report-dir", reports.toString());

        assertThat(exit).as(out + "\n" + err).isZero();
        JsonNode cases = new ObjectMapper().readTree(reports.resolve("summary.json").toFile()).get("cases");
        List<String> passed = new ArrayList<>();
        cases.forEach(c -> {
            if (c.get("status").asText().equals("passed")) {
                passed.add(c.get("id").asText());
            }
        });
        // the exchanges really ran with this password (a skipped case would prove nothing)
        assertThat(passed).contains("plain-235", "login-235", "cram-md5-235", "wrong-password-535", "second-auth-503");
        assertNoSecretIn(reports, out.toString() + err);
    }

    @Test
    void aServerThatEchoesTheCredentialsDoesNotLeakThemIntoTheReport() throws Exception {
        String plain = b64("\0" + USER + "\0" + PASSWORD);
        ServerConfig config = ServerConfig.defaults().withTls(TlsIdentity.selfSigned("reference.test"))
                .withAuth(new AuthAccount(USER, PASSWORD))
                .withMisbehaviours(new Misbehaviour.Reply("AUTH", "535 5.7.8 you sent " + plain + " and "
                        + PASSWORD + "\r\n"));
        RunSummary summary;
        try (ReferenceServer server = ReferenceServer.start(config);
             SmtpClient client = new SmtpClient(ClientOptions.defaults().withReplyTimeout(Duration.ofSeconds(3)))) {
            RunnerOptions options = RunnerOptions.defaults().withCredentials(new AuthCredentials(USER, PASSWORD));
            summary = new RunExecutor(client, options, 4, List.of()).run(
                    SuiteLoader.select(new SuiteLoader().loadAll(List.of(Path.of("test-suites/rfc4954-auth.yaml"))),
                            Set.of()), server.address(), "echoing reference server", "test");
        }
        Path reports = tmp.resolve("echo-reports");
        ReportWriter writer = new ReportWriter(reports, id -> Optional.empty());
        writer.prepare();
        writer.write(summary);

        // the echo was seen (redacted) and judged: plain-235 failed on its 535
        assertThat(summary.cases()).anySatisfy(c -> {
            assertThat(c.id()).isEqualTo("plain-235");
            assertThat(c.status()).isEqualTo(Status.FAILED);
            assertThat(c.transcript().toString()).contains("you sent <redacted>");
        });
        assertNoSecretIn(reports, summary.toString());
    }

    private static void assertNoSecretIn(Path reports, String output) throws IOException {
        List<String> secrets = new ArrayList<>();
        for (String password : List.of(PASSWORD, PASSWORD + "-wrong-7f3c")) {
            secrets.add(password);
            secrets.add(b64("\0" + USER + "\0" + password));
            secrets.add(b64(password));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(reports)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files.stream().map(p -> reports.relativize(p).toString()))
                .contains("summary.json", "junit.xml", "index.html")
                .anyMatch(name -> name.startsWith("allure-results"));
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(text).as("%s must not contain %s", reports.relativize(file), secret).doesNotContain(secret);
            }
        }
        for (String secret : secrets) {
            assertThat(output).as("run output").doesNotContain(secret);
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
