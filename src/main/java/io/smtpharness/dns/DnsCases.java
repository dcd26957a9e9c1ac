package io.smtpharness.dns;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Transcript;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS side of a {@code run --domain}, as report cases of the suite {@code dns}: they can warn
 * but never fail, since DNS hygiene is not an SMTP verdict. The evidence (what DNS answered) is in
 * each case's transcript as notes.
 */
public final class DnsCases {

    /** The suite name the DNS cases report under. */
    public static final String SUITE = "dns";

    private DnsCases() {
    }

    /** The MX records' shape, and the forward-confirmed reverse DNS of each address tested. */
    public static List<CaseResult> of(MxResult.Candidates mx, List<ReverseDns> reverse) {
        List<CaseResult> cases = new ArrayList<>();
        cases.add(mxRecords(mx));
        reverse.forEach(r -> cases.add(reverseDns(r, reverse.size() == 1 ? "" : "-" + r.address().getHostAddress())));
        return cases;
    }

    /** Whether the name a server greets with resolves (RFC 5321 §4.2: the greeting names the server's host). */
    public static CaseResult greetingName(String name, List<InetAddress> addresses) {
        Transcript transcript = new Transcript();
        transcript.note("greeting name " + name + ": " + addresses);
        List<Finding> findings = addresses.isEmpty() ? List.of(new Finding("5321-4.2-GREETING-SYNTAX", Severity.WARNING,
                "the greeting names '" + name + "', which does not resolve")) : List.of();
        return result("greeting-name-resolves", "The host name in the greeting resolves", findings, transcript);
    }

    private static CaseResult mxRecords(MxResult.Candidates mx) {
        Transcript transcript = new Transcript();
        mx.candidates().forEach(c -> transcript.note("MX " + c.preference() + " " + c.host() + " " + c.addresses()));
        List<Finding> findings = new ArrayList<>();
        mx.findings().forEach(f -> findings.add(new Finding(f.reference(), Severity.WARNING, f.message())));
        return result("mx-records", "The MX records of " + mx.domain() + " name hosts, not aliases or literals",
                findings, transcript);
    }

    private static CaseResult reverseDns(ReverseDns reverse, String idSuffix) {
        Transcript transcript = new Transcript();
        transcript.note("PTR of " + reverse.address().getHostAddress() + ": " + reverse.names());
        List<Finding> findings = reverse.confirmed() ? List.of() : List.of(new Finding("FCrDNS", Severity.WARNING,
                reverse.address().getHostAddress() + ": " + reverse.problem()));
        return result("mx-reverse-dns" + idSuffix, "The tested MX address has forward-confirmed reverse DNS", findings, transcript);
    }

    private static CaseResult result(String id, String title, List<Finding> findings, Transcript transcript) {
        Status status = CaseResult.statusOf(findings);
        String message = findings.isEmpty() ? "" : findings.get(0).toString();
        return new CaseResult(SUITE, id, title, List.of(), List.of(SUITE), status, message, findings, 0,
                transcript.events());
    }
}
