package io.smtpharness.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.client.ClientOptions;
import io.smtpharness.client.SmtpClient;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.RunExecutor;
import io.smtpharness.dialogue.RunnerOptions;
import io.smtpharness.dialogue.Variables;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import io.smtpharness.suite.SuiteLoader;
import io.smtpharness.testing.RealServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Real servers defending themselves are not judged vulnerable (issue 13): Sendmail 8.17 meets a
 * bare LF in DATA with "421 4.5.0 Bare linefeed (LF) not allowed" and hangs up, a refusal that RFC
 * 5321 §4.1.1.4 leaves it free to make (gray zone G-01b), while Postfix and OpenSMTPD with their
 * defaults end the data there (pinned as failures in real-server-verdicts/). Run with a sender
 * Sendmail accepts (its default refuses harness@client.test, whose domain does not resolve), so
 * the cases reach their point.
 */
class RealServerDefencesTest {

    @Test
    void sendmailRefusingBareLineFeedsIsADefence() {
        RealServer sendmail = RealServer.sharedOrSkip(RealServer.Kind.SENDMAIL);
        List<Dialogue> lookAlikes = SuiteLoader.select(new SuiteLoader().loadAll(List.of(Path.of("test-suites"))),
                Set.of()).stream().filter(d -> d.suite().equals("smtp-smuggling")
                || d.suite().equals("rfc5321-line-endings")).toList();
        RunnerOptions options = RunnerOptions.defaults()
                .withVariables(Variables.of("client.test", "harness@test.example", "postmaster@test.example"));
        RunSummary summary;
        try (SmtpClient client = new SmtpClient(ClientOptions.defaults())) {
            summary = new RunExecutor(client, options, RealServer.Kind.SENDMAIL.maxConnections(), List.of())
                    .run(lookAlikes, new InetSocketAddress(sendmail.host(), sendmail.port()), sendmail.hostAndPort(),
                            sendmail.version());
        }
        assertThat(summary.cases()).allSatisfy(c -> assertThat(c.status()).as(c.qualifiedId() + ": " + c.message())
                .isNotIn(Status.FAILED, Status.ERROR));
        List<CaseResult> defended = summary.cases().stream().filter(c -> c.findings().stream().anyMatch(f ->
                f.ruleId().equals("G-01b") && f.message().contains("421 4.5.0 Bare linefeed"))).toList();
        // the bare-LF look-alikes of both suites (the bare-CR ones Sendmail keeps as content)
        assertThat(defended).extracting(CaseResult::id).contains("smuggle-after-lf-dot-lf", "no-end-of-data-at-lf-dot-lf");
    }
}
