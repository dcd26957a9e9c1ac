package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each judge's {@code covers()} is exactly the set of rule IDs it can cite: checked on the sources
 * (no string literal that is a rule ID may be missing from {@code covers()}, and nothing is declared
 * that the source never names) and on a grid of replies (every finding cites a declared rule).
 */
class OracleCoverageTest {

    private static final Path SOURCES = Path.of("src/main/java/io/smtpharness/rules");
    private static final Path MAIN = Path.of("src/main/java/io/smtpharness");
    /**
     * The only places outside {@code rules} that may make a finding: the DNS judge, the reading of a
     * report back, and the finding types' own copies.
     */
    private static final Set<String> MAKERS_OUTSIDE_RULES = Set.of("dns/DnsCases.java", "report/SummaryJson.java",
            "result/Finding.java", "result/FuzzFinding.java");
    /** A string literal that is a rule ID and nothing else: what a finding cites. */
    private static final Pattern ID_LITERAL = Pattern.compile("\"(\\d{4}-[0-9.]+-[A-Z0-9-]+|G-\\d{2}b?)\"");
    /** A rule ID anywhere inside a literal, e.g. mentioned in a finding's message. */
    private static final Pattern ID_MENTION = Pattern.compile("\\b(\\d{4}-[0-9.]+-[A-Z0-9-]*[A-Z0-9]|G-\\d{2}b?)\\b");
    private static final Pattern LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    @Test
    void everyClassThatCreatesFindingsIsADeclaredJudge() throws IOException {
        Set<String> judges = new TreeSet<>();
        Set<String> outside = new TreeSet<>();
        List<Path> all;
        try (Stream<Path> files = Files.walk(MAIN)) {
            all = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : all) {
            String source = Files.readString(file);
            if (source.contains("new Finding(") || source.contains("Judge.breach(")) {
                String relative = MAIN.relativize(file).toString().replace('\\', '/');
                if (relative.equals("rules/Judge.java")) {
                    continue; // Judge.breach builds what the oracles find at its catalogue cost
                }
                if (relative.startsWith("rules/")) {
                    judges.add(file.getFileName().toString().replace(".java", ""));
                } else {
                    outside.add(relative);
                }
            }
        }
        assertThat(judges).containsExactlyInAnyOrderElementsOf(Oracles.coverage().keySet());
        assertThat(outside).as("classes outside rules/ that make findings").isSubsetOf(MAKERS_OUTSIDE_RULES);
    }

    @Test
    void coversIsExactlyTheRuleIdsEachJudgeNamesInItsSource() throws IOException {
        for (Map.Entry<String, Set<String>> judge : Oracles.coverage().entrySet()) {
            String source = Files.readString(SOURCES.resolve(judge.getKey() + ".java"));
            Set<String> cited = new TreeSet<>();
            Matcher m = ID_LITERAL.matcher(source);
            while (m.find()) {
                cited.add(m.group(1));
            }
            assertThat(judge.getValue()).as("%s.covers() against the IDs its source cites", judge.getKey())
                    .containsExactlyInAnyOrderElementsOf(cited);
        }
    }

    @Test
    void everyDeclaredOrMentionedIdIsInTheCatalogue() throws IOException {
        assertThat(Oracles.coveredRules()).allSatisfy(id -> assertThat(RuleCatalog.standard().isKnown(id))
                .as("%s is in the catalogue", id).isTrue());
        for (String judge : Oracles.coverage().keySet()) {
            Matcher literal = LITERAL.matcher(Files.readString(SOURCES.resolve(judge + ".java")));
            while (literal.find()) {
                Matcher id = ID_MENTION.matcher(literal.group());
                while (id.find()) {
                    assertThat(RuleCatalog.standard().isKnown(id.group(1)))
                            .as("%s mentions %s", judge, id.group(1)).isTrue();
                }
            }
        }
    }

    @Test
    void everyFindingOnAGridOfRepliesCitesARuleItsOracleDeclares() {
        List<String> replies = List.of("220 mx.example", "220 (no name)", "221 bye", "221 2.0.0 Bye!", "259 odd", "250 ok", "250-mx.example|250 SIZE 10",
                "250-mx.example|250 ", "250-mx.example|250 PIPELINING", "250-mx.example|250 FOOBAR", "251 forward", "252 maybe", "211 status",
                "214 help", "354 go", "334 x", "421 bye", "450 busy", "451 err", "452 full", "455 param",
                "500 what", "501 syntax", "502 no", "503 order", "504 param", "550 no", "551 no", "552 size",
                "553 name", "554 fail", "555 param", "199 odd", "250", "250-a|251 b", "250 ok\n", "250 ok\r",
                "25 short", "250 h\u00e9", "250 h\u00c3\u00a9 (UTF-8)", "250 " + "x".repeat(600),
                // enhanced status codes (RFC 2034/3463) and extension keywords (RFC 1870, 6531, 3030, ...)
                "250 2.0.0 ok", "250 5.0.0 ok", "250 2.00.0 ok", "250 2. 0.0 ok", "250 2.0.1000 ok", "250 2.9.0 ok",
                "500 5.1.0 what", "553 5.1.7 bad", "214-2.0.0 a|214 2.0.1 b", "250-mx|250 SIZE lots", "250-mx|250 SMTPUTF8",
                "250-mx|250 BINARYMIME", "250-m\u00fcx|250-8BITMIME|250 SMTPUTF8",
                "250-mx|250-PIPELINING x|250-8BITMIME y|250-SMTPUTF8 z|250-ENHANCEDSTATUSCODES a|250 CHUNKING b",
                // STARTTLS and AUTH (RFC 3207, RFC 4954)
                "250-mx.example|250 STARTTLS", "250-mx.example|250 AUTH LOGIN", "334 not base64!", "235 ok", "535 no",
                "500 5.5.6 line too long");
        List<Sent> sents = new ArrayList<>();
        sents.add(Sent.GREETING);
        sents.add(Sent.END_OF_DATA);
        for (String line : List.of("EHLO x", "HELO x", "MAIL FROM:<>", "RCPT TO:<a@b>", "DATA", "DATA x", "RSET",
                "RSET x", "RSET ", "VRFY a", "EXPN a", "HELP", "NOOP", "NOOP x", "QUIT", "QUIT x", "STARTTLS", "STARTTLS x",
                "AUTH PLAIN", "ETRN x", "XYZZY", "BDAT 3 LAST", "MAIL FROM:<j\u00f6rg@x.example>")) {
            sents.add(Sent.ofLine(line));
        }
        sents.add(Sent.AUTH_RESPONSE);
        sents.add(Sent.authResponse(4_002));
        sents.add(Sent.AUTH_CANCEL);
        List<Optional<Sent>> answered = new ArrayList<>();
        answered.add(Optional.empty());
        sents.forEach(s -> answered.add(Optional.of(s)));
        List<String> cited = new ArrayList<>();
        List<SessionModel> models = new ArrayList<>();
        for (SessionState state : SessionState.values()) {
            boolean greeted = state != SessionState.CONNECTED;
            models.add(new SessionModel(state, greeted));
            models.add(new SessionModel(state, greeted, Optional.of(Set.of("SIZE", "HELP")), false));
            models.add(new SessionModel(state, greeted, Optional.of(Set.of("8BITMIME")), false));
            models.add(new SessionModel(state, greeted, Optional.empty(), true));
            models.add(new SessionModel(state, greeted, Optional.empty(), false, 3));
            models.add(new SessionModel(state, greeted, Optional.of(Set.of("ENHANCEDSTATUSCODES")), false, 0, false));
            models.add(new SessionModel(state, greeted, Optional.of(Set.of("ENHANCEDSTATUSCODES")), false, 0, true));
            models.add(new SessionModel(state, greeted, Optional.of(Set.of("ENHANCEDSTATUSCODES", "SMTPUTF8")), false));
            // a transaction opened with MAIL ... SMTPUTF8 (RFC 6531 §3.4)
            models.add(new SessionModel(state, greeted, Optional.of(Set.of("SMTPUTF8", "8BITMIME")), false, 0, false,
                    SessionModel.Security.NONE, true));
            // inside TLS; authenticated; a server known to insist on EHLO before MAIL
            models.add(new SessionModel(state, greeted, Optional.empty(), false, 0,
                    new SessionModel.Security(true, false, false, true)));
            models.add(new SessionModel(state, greeted, Optional.empty(), false, 0,
                    new SessionModel.Security(true, true, false, false)));
        }
        for (SessionModel model : models) {
            for (Optional<Sent> sent : answered) {
                for (String text : replies) {
                    String wire = text.replace("|", "\r\n");
                    Exchange exchange = new Exchange(model, sent,
                            Reply.parse(wire.endsWith("\n") || wire.endsWith("\r") ? wire : wire + "\r\n"));
                    for (Oracle oracle : Oracles.standard()) {
                        List<Finding> out = new ArrayList<>();
                        oracle.judge(exchange, out);
                        for (Finding f : out) {
                            assertThat(oracle.covers()).as("%s on %s", oracle.getClass().getSimpleName(), exchange.describe())
                                    .contains(f.ruleId());
                            assertCostAsCatalogued(f);
                            cited.add(f.ruleId());
                        }
                    }
                }
                for (Finding f : new ConnectionClose().judge(model, sent)) {
                    assertThat(new ConnectionClose().covers()).contains(f.ruleId());
                    assertCostAsCatalogued(f);
                    cited.add(f.ruleId());
                }
            }
        }
        Judge judge = new Judge(new Scope(List.of(CASE_RULE), Set.of(), Optional.empty()));
        for (SessionEvent event : sampleEvents()) {
            for (Finding f : judge.event(event)) {
                if (!f.ruleId().equals(CASE_RULE)) {
                    assertThat(SessionEvents.covers()).as("SessionEvents on %s", event).contains(f.ruleId());
                    assertCostAsCatalogued(f);
                    cited.add(f.ruleId());
                }
            }
        }
        // the grid is wide enough to make every declared rule fire at least once
        assertThat(new TreeSet<>(cited)).containsExactlyInAnyOrderElementsOf(Oracles.coveredRules());
    }

    /** What a finding costs is its rule's level, or a grading its catalogue row documents. */
    private static void assertCostAsCatalogued(Finding f) {
        assertThat(Judge.documents(f.ruleId(), f.severity()))
                .as("%s costs %s, which its catalogue row neither gives nor documents: %s", f.ruleId(), f.severity(),
                        f.message())
                .isTrue();
    }

    /** A rule a case cites: the events that name their rule cite it, not one of their judge's own. */
    private static final String CASE_RULE = "5321-4.1.1.4-NO-LF-EOD";

    private static List<SessionEvent> sampleEvents() {
        Reply ok = Reply.parse("250 ok\r\n");
        Reply refused = Reply.parse("554 no\r\n");
        List<SessionEvent> events = new ArrayList<>(List.of(
                new SessionEvent.Mismatch(CASE_RULE, "expected 250"),
                new SessionEvent.NotClosed(CASE_RULE, 1_000, "o", true),
                new SessionEvent.KeptOpenAfterQuit("suite/case"),
                new SessionEvent.PipelinedUnanswered("RCPT TO:<a@b>", 5_000, "o", true),
                new SessionEvent.PipelinedUnanswered("RCPT TO:<a@b>", 5_000, "o", false),
                new SessionEvent.StartTlsRefused(Reply.parse("502 no\r\n"), "o"),
                new SessionEvent.HandshakeFailed("reset", "o"),
                new SessionEvent.ReplyInsideTls(ok, "o", true),
                new SessionEvent.ReplyInsideTls(ok, "o", false),
                new SessionEvent.StrayReply(Sent.ofLine("NOOP"), 250, ok),
                new SessionEvent.StrayReply(Sent.ofLine("BDAT 3 LAST"), 554, ok),
                new SessionEvent.ReplyInsideData(CASE_RULE, ok, List.of(), false, "o"),
                new SessionEvent.ReplyInsideData(CASE_RULE, refused, List.of(ok), false, "o"),
                new SessionEvent.ReplyInsideData(CASE_RULE, refused, List.of(), true, "o"),
                new SessionEvent.ProbeClosing(CASE_RULE, "NOOP got 421", 0),
                new SessionEvent.ProbeClosing(CASE_RULE, "NOOP got 421", ConnectionClose.ERRORS_BEFORE_DEFENCE)));
        for (SessionState state : SessionState.values()) {
            events.add(new SessionEvent.IdleClose(state, 1_000));
            events.add(new SessionEvent.IdleClose(state, 600_000));
        }
        return events;
    }
}
