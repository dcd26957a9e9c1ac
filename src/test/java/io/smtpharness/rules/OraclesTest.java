package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OraclesTest {

    private static final SessionModel CONNECTED = SessionModel.connected();
    private static final SessionModel GREETED = new SessionModel(SessionState.GREETED, true);
    private static final SessionModel MAIL = new SessionModel(SessionState.MAIL, true);

    private static List<Finding> judge(SessionModel model, String command, String reply) {
        return Oracles.judge(new Exchange(model, Optional.of(Sent.of(Command.parse(command))),
                Reply.parse(reply.replace("|", "\r\n") + "\r\n")));
    }

    private static List<String> failedRules(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.FAILED).map(Finding::ruleId).toList();
    }

    private static List<String> warnedRules(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.WARNING).map(Finding::ruleId).toList();
    }

    @Nested
    class StateCells {
        @Test
        void rcptBeforeMailAcceptedFails() {
            assertThat(failedRules(judge(GREETED, "RCPT TO:<a@b>", "250 ok"))).containsExactly("5321-3.3-RCPT-NEEDS-MAIL");
        }

        @Test
        void rcptBeforeMailWith503Passes() {
            assertThat(judge(GREETED, "RCPT TO:<a@b>", "503 need MAIL")).isEmpty();
        }

        @Test
        void dataWithoutRecipientsGetting354Fails() {
            assertThat(failedRules(judge(MAIL, "DATA", "354 go"))).containsExactly("5321-3.3-DATA-NO-RCPT");
            assertThat(judge(MAIL, "DATA", "554 no valid recipients")).isEmpty();
        }

        @Test
        void mailBeforeEhloAcceptedIsOnlyAGrayZoneWarning() {
            List<Finding> findings = judge(CONNECTED, "MAIL FROM:<>", "250 ok");
            assertThat(failedRules(findings)).isEmpty();
            assertThat(warnedRules(findings)).containsExactly("G-04");
        }

        @Test
        void nestedMailAcceptedWarns() {
            assertThat(warnedRules(judge(MAIL, "MAIL FROM:<>", "250 ok"))).containsExactly("G-16");
        }

        @Test
        void quitAnsweredWith250Fails() {
            assertThat(failedRules(judge(GREETED, "QUIT", "250 bye"))).containsExactly("5321-4.1.1.10-QUIT-221");
        }

        @Test
        void rsetRefusedFailsInEveryStateIncludingConnected() {
            // §4.1.1.5: the receiver MUST answer RSET with 250; cell CONNECTED:RSET is 250 → =
            for (SessionModel model : List.of(CONNECTED, GREETED, MAIL, new SessionModel(SessionState.RCPT, true))) {
                List<Finding> findings = judge(model, "RSET", "503 no");
                assertThat(failedRules(findings)).as(model.state().name()).containsExactly("5321-4.1.1.5-RSET-250");
                assertThat(warnedRules(findings)).as(model.state().name()).doesNotContain("5321-4.1.4-NONMAIL-NO-EHLO");
            }
        }

        @Test
        void noopBeforeEhloRefusedWarnsOnly() {
            assertThat(warnedRules(judge(CONNECTED, "NOOP", "503 no"))).containsExactly("5321-4.1.4-NONMAIL-NO-EHLO");
            assertThat(failedRules(judge(CONNECTED, "NOOP", "503 no"))).isEmpty();
            assertThat(failedRules(judge(GREETED, "NOOP", "503 no"))).containsExactly("5321-4.1.1.9-NOOP-250");
        }

        @Test
        void vrfyAndExpnGetting503AreFlaggedInEveryState() {
            // cell "VRFY / EXPN: per table, not 503": 503 is in neither row, so never silent; at most a warning
            for (SessionModel model : List.of(CONNECTED, GREETED, MAIL, new SessionModel(SessionState.RCPT, true))) {
                for (String command : List.of("VRFY postmaster", "EXPN postmaster")) {
                    List<Finding> findings = judge(model, command, "503 bad sequence");
                    assertThat(warnedRules(findings)).as(model.state() + " " + command).isNotEmpty();
                    assertThat(failedRules(findings)).as(model.state() + " " + command).isEmpty();
                }
            }
        }

        @Test
        void quitBeforeEhloRefusedFails() {
            assertThat(failedRules(judge(CONNECTED, "QUIT", "503 no"))).containsExactly("5321-4.1.1.10-QUIT-221");
        }

        @Test
        void noopWithArgumentRefusedIsAGrayZone() {
            assertThat(warnedRules(judge(GREETED, "NOOP hello", "501 no args"))).containsExactly("G-17");
        }

        @Test
        void unknownVerbMustGet500() {
            assertThat(judge(GREETED, "XYZZY", "500 unknown")).isEmpty();
            assertThat(warnedRules(judge(GREETED, "XYZZY", "502 no"))).containsExactly("5321-4.2.4-502-VS-500");
        }

        @Test
        void reply421IsAlwaysAcceptable() {
            assertThat(judge(GREETED, "RCPT TO:<a@b>", "421 shutting down")).isEmpty();
        }
    }

    @Nested
    class CodeTable {
        @Test
        void codeOutsideTheRowButInItsClassWarns() {
            assertThat(warnedRules(judge(GREETED, "RCPT TO:<a@b>", "554 relay denied"))).contains("5321-4.3.1-TABLE");
        }

        @Test
        void intermediateReplyToAnythingButDataFails() {
            assertThat(failedRules(judge(GREETED, "NOOP", "354 go"))).contains("5321-4.2.1-3YZ-INTERMEDIATE");
        }

        @Test
        void wrongClassFailsCitingTheRow() {
            assertThat(failedRules(judge(GREETED, "DATA", "250 ok"))).contains("5321-4.3.2-DATA-CODES");
        }

        private List<Finding> greeting(String reply) {
            return Oracles.judge(new Exchange(CONNECTED, Optional.of(Sent.GREETING), Reply.parse(reply + "\r\n")));
        }

        @Test
        void greetingMustBe220Or554Or421() {
            // RFC 5321 §3.1: "a 554 response MAY be given in the initial connection opening message
            // instead of the 220"; §4.3.2: "CONNECTION ESTABLISHMENT S: 220 E: 554"; §3.8: 421 may come
            // at any time. The greeting answers no command, so 500/501 are no "any command" codes here
            for (String other : List.of("200 mx.test.example ESMTP", "250 mx.test.example hello", "450 busy",
                    "500 mx.test.example what", "501 mx.test.example", "521 no mail here")) {
                assertThat(failedRules(greeting(other))).as(other).containsExactly("5321-3.1-GREETING");
            }
            assertThat(failedRules(greeting("354 go"))).containsExactly("5321-3.1-GREETING");
            assertThat(greeting("220 mx.example ESMTP")).isEmpty();
            assertThat(greeting("554 mx.example no service")).isEmpty();
            assertThat(greeting("421 mx.example shutting down")).isEmpty();
        }
    }

    @Nested
    class Syntax {
        @Test
        void mixedCodesFail() {
            assertThat(failedRules(judge(CONNECTED, "EHLO x", "250-mx|251 HELP")))
                    .contains("5321-4.2-MULTILINE-SAME-CODE");
        }

        @Test
        void unsolicitedReplyFails() {
            List<Finding> findings = Oracles.judge(new Exchange(GREETED, Optional.empty(), Reply.parse("250 ok\r\n")));
            assertThat(failedRules(findings)).containsExactly("5321-4.2-ONE-REPLY");
        }

        @Test
        void bareLfInReplyFails() {
            List<Finding> findings = Oracles.judge(new Exchange(GREETED, Optional.of(Sent.of(Command.parse("NOOP"))),
                    Reply.parse("250 ok\n")));
            assertThat(failedRules(findings)).containsExactly("5321-2.3.8-REPLY-CRLF");
        }
    }

    @Nested
    class Ehlo {
        @Test
        void anEhloLineOfAHundredThousandParametersIsJudgedWithoutOverflowingTheStack() {
            String params = " 1000000".repeat(100_000);
            // over-long, and SIZE with many parameters, but a well-formed ehlo-line
            assertThat(judge(CONNECTED, "EHLO x", "250-mx.example hi|250 SIZE" + params)).extracting(Finding::ruleId)
                    .doesNotContain("5321-4.1.1.1-REPLY-FORMAT").contains("1870-3-KEYWORD");
            assertThat(judge(CONNECTED, "EHLO x", "250-mx.example hi|250 SIZE" + params + "  x"))
                    .extracting(Finding::ruleId).contains("5321-4.1.1.1-REPLY-FORMAT");
        }

        @Test
        void wellFormedEhloReplyPasses() {
            assertThat(judge(CONNECTED, "EHLO x", "250-mx.example hi|250-SIZE 1000|250 8BITMIME")).isEmpty();
        }

        @Test
        void emptyKeywordLineFails() {
            assertThat(failedRules(judge(CONNECTED, "EHLO x", "250-mx.example|250 "))).contains("5321-4.1.1.1-REPLY-FORMAT");
        }

        @Test
        void theDomainIsTheFirstWordOfTheFirstLineAndMustBeOne() {
            // RFC 5321 §4.1.1.1: ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF ) / ( "250-" Domain
            // [ SP ehlo-greet ] CRLF *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF )
            assertThat(failedRules(judge(CONNECTED, "EHLO x", "250-/127.0.0.1|250 8BITMIME")))
                    .containsExactly("5321-4.1.1.1-REPLY-FORMAT");
            assertThat(failedRules(judge(CONNECTED, "EHLO x", "250 Hello, client"))).containsExactly("5321-4.1.1.1-REPLY-FORMAT");
            // a non-ASCII name without SMTPUTF8 is no Domain either (RFC 6531 §3.7.1 is for SMTPUTF8 servers)
            assertThat(failedRules(judge(CONNECTED, "EHLO x", "250-m\u00fcx.example|250 8BITMIME")))
                    .containsExactly("5321-4.1.1.1-REPLY-FORMAT");
            assertThat(judge(CONNECTED, "EHLO x", "250-[192.0.2.1] hi|250 8BITMIME")).isEmpty();
            assertThat(judge(CONNECTED, "EHLO x", "250-127.0.0.1|250 8BITMIME")).isEmpty();
            assertThat(failedRules(judge(CONNECTED, "EHLO x", "250 mx.example"))).isEmpty();
        }

        @Test
        void theEhloGreetMayHoldAnyAsciiOctetButCrAndLf() {
            // §4.1.1.1: ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127) ; string of any characters other than CR or LF
            assertThat(Oracles.judge(new Exchange(CONNECTED, Optional.of(Sent.ofLine("EHLO \u0001client.test")),
                    Reply.parse("250-mx.test.example Hello \u0001client.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"))))
                    .isEmpty();
            // octets over 127 are outside ehlo-greet: the textstring warning, not a domain finding
            List<Finding> findings = judge(CONNECTED, "EHLO x", "250-mx.example Hello j\u00c3\u00b6rg|250 8BITMIME");
            assertThat(failedRules(findings)).isEmpty();
            assertThat(warnedRules(findings)).containsExactly("5321-4.2-TEXTSTRING");
            // in any other reply a control octet is outside textstring (§4.2)
            assertThat(warnedRules(judge(GREETED, "NOOP", "250 ok \u0001"))).containsExactly("5321-4.2-TEXTSTRING");
        }

        @Test
        void heloReplyListingExtensionsFails() {
            assertThat(failedRules(judge(CONNECTED, "HELO x", "250-mx.example|250 PIPELINING")))
                    .containsExactly("5321-3.2-HELO-PLAIN-REPLY");
        }
    }

    @Nested
    class Keywords {
        private final SessionModel advertisingHelp = new SessionModel(SessionState.GREETED, true,
                Optional.of(java.util.Set.of("SIZE", "HELP")), false);

        @Test
        void advertisedCommandAnswered500Fails() {
            assertThat(failedRules(judge(advertisingHelp, "HELP", "500 what"))).contains("5321-4.2.4-NO-ADVERTISE-UNIMPL");
        }

        @Test
        void expnWorkingWithoutItsKeywordFails() {
            assertThat(failedRules(judge(advertisingHelp, "EXPN staff", "250 a@b.example")))
                    .containsExactly("5321-3.5.2-EXPN-IN-EHLO");
        }

        @Test
        void extensionVerbWorkingWithoutItsKeywordFails() {
            assertThat(failedRules(judge(advertisingHelp, "ETRN example.org", "250 queued")))
                    .containsExactly("5321-4.1.1.1-LIST-COMPLETE");
        }

        @Test
        void aLineWithABareCrIsNotJudgedAsTheVerbItStartsWith() {
            // gray zone G-01: "VRFY \rpostmaster" answered 252 says nothing about the EHLO list
            List<Finding> findings = Oracles.judge(new Exchange(advertisingHelp,
                    Optional.of(Sent.ofLine("EXPN \rstaff")), Reply.parse("250 a@b.example\r\n")));
            assertThat(failedRules(findings)).isEmpty();
            assertThat(failedRules(judge(advertisingHelp, "EXPN staff", "250 a@b.example"))).isNotEmpty();
        }

        @Test
        void helpWorkingWithoutItsKeywordIsGrayZoneG06() {
            SessionModel sizeOnly = new SessionModel(SessionState.GREETED, true, Optional.of(java.util.Set.of("SIZE")), false);
            assertThat(warnedRules(judge(sizeOnly, "HELP", "214 ok"))).containsExactly("G-06");
        }

        @Test
        void unregisteredKeywordWarns() {
            assertThat(warnedRules(judge(CONNECTED, "EHLO x", "250-mx.example|250-8BITMIME|250-PIPECONNECT|250 XFORWARD NAME")))
                    .containsExactly("5321-2.2.2-NO-UNREGISTERED-KW");
        }

        @Test
        void withoutAnEhloNothingIsJudged() {
            assertThat(judge(GREETED, "EXPN staff", "250 a@b.example")).isEmpty();
        }
    }

    @Nested
    class LongLines {
        /** {@code line} padded with x to {@code octets} octets on the wire, CRLF included. */
        private Sent padded(String line, int octets) {
            return Sent.ofLine(line + "x".repeat(octets - 2 - line.length()));
        }

        private List<Finding> judgeSent(SessionModel model, Sent sent, String reply) {
            return Oracles.judge(new Exchange(model, Optional.of(sent), Reply.parse(reply + "\r\n")));
        }

        @Test
        void a500ToALineOver512OctetsIsRightForEveryCommandInEveryState() {
            // RFC 5321 §4.5.3.1.4: "The maximum total length of a command line including the command
            // word and the <CRLF> is 512 octets"; §4.5.3.1.9: "Errors due to exceeding these limits
            // may be reported by using the reply codes. Some examples of reply codes are: 500 Line too long."
            SessionModel advertising = new SessionModel(SessionState.GREETED, true,
                    Optional.of(java.util.Set.of("ENHANCEDSTATUSCODES", "HELP", "EXPN", "ETRN", "STARTTLS", "AUTH")), false);
            SessionModel authenticated = new SessionModel(SessionState.MAIL, true, advertising.keywords(), false, 0,
                    new SessionModel.Security(true, true, false, false));
            List<String> lines = List.of("EHLO ", "HELO ", "MAIL FROM:<", "RCPT TO:<", "DATA ", "RSET ", "VRFY ",
                    "EXPN ", "HELP ", "NOOP ", "QUIT ", "STARTTLS ", "AUTH PLAIN ", "ETRN ", "BDAT 1", "XYZZY ");
            for (SessionModel model : List.of(CONNECTED, GREETED, MAIL, advertising, authenticated)) {
                for (String line : lines) {
                    Sent sent = padded(line, 513);
                    assertThat(judgeSent(model, sent, "500 5.5.6 Line too long")).as(model + " " + line).isEmpty();
                }
                assertThat(judgeSent(model, Sent.ofLine("NOOP" + " ".repeat(509)), "500 5.5.6 Line too long"))
                        .as("trailing white space past 512 octets").isEmpty();
            }
        }

        @Test
        void onlyTheLengthExcusesThe500AndOnlyThe500() {
            // at 512 octets the line is within the limit, so NOOP's argument should have been ignored (G-17)
            assertThat(warnedRules(judgeSent(GREETED, padded("NOOP ", 512), "500 5.5.6 Line too long")))
                    .containsExactly("G-17");
            // another refusal of the long line is still judged as it would be for any NOOP
            assertThat(failedRules(judgeSent(GREETED, padded("NOOP ", 513), "550 no"))).containsExactly("5321-4.1.1.9-NOOP-250");
            // the reply's form is still judged: a 500 without the advertised enhanced status code
            SessionModel enhanced = new SessionModel(SessionState.GREETED, true,
                    Optional.of(java.util.Set.of("ENHANCEDSTATUSCODES")), false);
            assertThat(failedRules(judgeSent(enhanced, padded("NOOP ", 513), "500 Line too long")))
                    .containsExactly("2034-4-PREFIX-ALL");
        }
    }

    @Test
    void serverClosingAfterA554GreetingBeforeQuitFails() {
        SessionModel refused = new SessionModel(SessionState.CONNECTED, false, Optional.empty(), true);
        assertThat(Oracles.judgeClose(refused, Optional.of(Sent.of(Command.parse("EHLO x")))))
                .extracting(Finding::ruleId).containsExactly("5321-3.1-554-WAIT-QUIT");
    }

    @Test
    void hangingUpAfterSeveralErrorsIsAllowedDefence() {
        SessionModel afterErrors = new SessionModel(SessionState.GREETED, true, Optional.empty(), false, 3);
        assertThat(Oracles.judgeClose(afterErrors, Optional.of(Sent.of(Command.parse("XYZZY")))))
                .singleElement().satisfies(f -> {
                    assertThat(f.ruleId()).isEqualTo("G-20");
                    assertThat(f.severity()).isEqualTo(Severity.NOTE);
                });
    }

    @Test
    void serverClosingWithoutQuitFails() {
        assertThat(Oracles.judgeClose(GREETED, Optional.of(Sent.of(Command.parse("XYZZY")))))
                .extracting(Finding::ruleId).containsExactly("5321-3.8-UNKNOWN-IS-500");
        assertThat(Oracles.judgeClose(GREETED, Optional.empty()))
                .extracting(Finding::ruleId).containsExactly("5321-3.8-CLOSE-ONLY-IF");
        assertThat(Oracles.judgeClose(new SessionModel(SessionState.CLOSED, true), Optional.empty())).isEmpty();
    }
}
