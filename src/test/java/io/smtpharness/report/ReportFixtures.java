package io.smtpharness.report;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.time.Instant;
import java.util.List;

/** Hand-built runs for the report tests: one case per status, plus a hostile one. */
final class ReportFixtures {

    static final Instant STARTED = Instant.parse("2025-03-14T09:26:53.125Z");
    static final String SCRIPT = "<script>alert(1)</script>";

    private ReportFixtures() {
    }

    static CaseResult passed() {
        return new CaseResult("core", "greeting", "Server greets with 220", List.of("5321-3.1-GREETING"),
                List.of("smoke"), Status.PASSED, "", List.of(), 12,
                List.of(note(0, "connected to 127.0.0.1:2525"), s(3, "220 mx.example ESMTP\\r\\n")));
    }

    static CaseResult failed() {
        return new CaseResult("core", "rcpt-before-mail", "RCPT before MAIL is refused with 503",
                List.of("5321-4.1.4-ORDER"), List.of("sequence"), Status.FAILED,
                "RCPT before MAIL got 250, expected 503",
                List.of(new Finding("5321-4.1.4-ORDER", Severity.FAILED, "RCPT before MAIL got 250, expected 503"),
                        new Finding("5321-3.1-VERSION-IN-BANNER", Severity.NOTE, "banner names the version")),
                1530,
                List.of(s(2, "220 mx.example ESMTP\\r\\n"), c(5, "EHLO client.test\\r\\n"),
                        s(7, "250 mx.example\\r\\n"), c(9, "RCPT TO:<a@b.test>\\r\\n"), s(11, "250 OK\\r\\n")));
    }

    static CaseResult warning() {
        return new CaseResult("ext", "size-declared", "SIZE keyword carries a limit", List.of("1870-SIZE"),
                List.of(), Status.WARNING, "SIZE advertised without a number",
                List.of(new Finding("1870-SIZE", Severity.WARNING, "SIZE advertised without a number")), 40,
                List.of(s(1, "250-mx.example\\r\\n250 SIZE\\r\\n")));
    }

    static CaseResult skipped() {
        return new CaseResult("ext", "pipelining", "PIPELINING batches are answered in order",
                List.of("2920-PIPELINING"), List.of(), Status.SKIPPED, "PIPELINING not advertised",
                List.of(), 5, List.of());
    }

    static CaseResult error() {
        return new CaseResult("core", "quit", "QUIT gets 221", List.of("5321-4.1.1.10-QUIT"), List.of(),
                Status.ERROR, "timeout after 30 s without a reply", List.of(), 30_000,
                List.of(c(0, "QUIT\\r\\n"), note(30_000, "timeout")));
    }

    /** A server that sends markup and a NUL, and a message quoting raw control characters. */
    static CaseResult hostile() {
        return new CaseResult("evil", "markup", "Server sends <b>markup</b> & quotes \"'",
                List.of("5321-2.3.8-REPLY-CRLF"), List.of("x<y"), Status.FAILED,
                "reply had \u0000 NUL, \u001b[31mESC\u001b[0m, bare\nLF and lone \ud800 surrogate " + SCRIPT,
                List.of(new Finding("5321-2.3.8-REPLY-CRLF", Severity.FAILED, "bare LF in " + SCRIPT + "\u0007")),
                3,
                List.of(s(1, "220 " + SCRIPT + "\\x00\\n"), note(2, "saw \u0001 " + SCRIPT)));
    }

    /** A case that met a reply the harness cut off as never ending, which is how this server writes replies. */
    static CaseResult endlessReply(String id) {
        return new CaseResult("core", id, "Case " + id, List.of("5321-4.1.4-ORDER"), List.of(), Status.FAILED,
                "reply cut off", List.of(new Finding("5321-4.2-ONE-REPLY", Severity.FAILED,
                        "EHLO got a reply cut off after 1000 lines: it never ended", Finding.Reach.SERVER_WIDE)),
                9, List.of(s(1, "250-x\\r\\n"), note(2, "closed by the harness")));
    }

    static RunSummary allStatuses() {
        return summary(List.of(passed(), failed(), warning(), skipped(), error()));
    }

    static RunSummary summary(List<CaseResult> cases) {
        return new RunSummary("smtp-harness", "0.1.0", "127.0.0.1:2525", STARTED, 31_600, cases);
    }

    static TranscriptEvent c(long t, String text) {
        return new TranscriptEvent(t, Direction.C, text);
    }

    static TranscriptEvent s(long t, String text) {
        return new TranscriptEvent(t, Direction.S, text);
    }

    static TranscriptEvent note(long t, String text) {
        return new TranscriptEvent(t, Direction.NOTE, text);
    }
}
