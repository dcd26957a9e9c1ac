package io.smtpharness.it;

import static io.smtpharness.it.TrustedVerdictsTest.describe;
import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Status;
import io.smtpharness.server.Misbehaviour;
import io.smtpharness.server.ServerConfig;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Verdicts the default suites gave on servers of kinds the project had not run (Java, Node.js and
 * Python implementations; issue 23) and that the RFC text does not support. Each test has the
 * reference server do what such a server was seen doing, runs the real suites, and asserts the
 * verdict the cited sentence supports.
 */
class ForeignServerVerdictsTest {

    /**
     * A server offering SMTPUTF8 echoes the mailbox: {@code MAIL FROM:<jörg@exämple.test> SMTPUTF8}
     * gets {@code 250 2.1.0 Sender <jörg@exämple.test> ok}. The MAIL that carries the parameter opens
     * the SMTPUTF8 transaction (RFC 6531 §3.4), so its own reply belongs to it: RFC 6531 §3.7.4 allows
     * UTF-8 there only in a 251/551, so it is gray zone G-23, a warning at most, never the failure
     * "MUST NOT include non-ASCII characters in replies" reserves for a client that did not opt in.
     */
    @Test
    void aServerEchoingUtf8MailboxesInItsSmtputf8TransactionFailsNoCase() {
        RunSummary summary = ReferenceRuns.run(ServerConfig.defaults().withMisbehaviours(new Misbehaviour.EchoPaths()),
                true, "");
        assertThat(summary.cases()).hasSizeGreaterThan(150);
        assertThat(failed(summary)).isEmpty();
        CaseResult utf8 = only(summary, "utf8-mailboxes-accepted");
        assertThat(utf8.findings()).as(describe(utf8)).anySatisfy(f -> {
            assertThat(f.ruleId()).isEqualTo("G-23");
            assertThat(f.message()).startsWith("MAIL FROM:<j");
        });
    }

    /** The failed cases, each with its findings and the tail of its transcript, for a readable message. */
    static List<String> failed(RunSummary summary) {
        return summary.cases().stream().filter(c -> c.status() == Status.FAILED).map(c -> c.qualifiedId() + ": "
                + c.message() + "\n    " + c.transcript().stream().skip(Math.max(0, c.transcript().size() - 12))
                .map(e -> e.text().length() > 200 ? e.text().substring(0, 200) + "..." : e.text())
                .collect(Collectors.joining("\n    "))).toList();
    }

    static CaseResult only(RunSummary summary, String id) {
        return summary.cases().stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no case " + id));
    }
}
