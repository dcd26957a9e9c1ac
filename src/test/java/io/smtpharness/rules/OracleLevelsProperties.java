package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the oracles see, each finding costs what its catalogue row says: the severity of the
 * rule's level, or one its "how judged" column documents (a gray zone, a SHOULD half of a MUST
 * pair). An oracle cannot grade a rule on its own.
 */
class OracleLevelsProperties {

    private static final List<String> COMMANDS = List.of("EHLO client.test", "HELO client.test", "MAIL FROM:<a@b.test>",
            "MAIL FROM:<j\u00c3\u00b6rg@b.test>", "MAIL FROM:<a@b.test> SIZE=99", "RCPT TO:<postmaster>", "RCPT TO:<a@b.test>",
            "DATA", "RSET", "RSET now", "NOOP", "NOOP x", "QUIT", "QUIT now", "VRFY postmaster", "VRFY j\u00c3\u00b6rg",
            "EXPN staff", "HELP", "HELP MAIL", "STARTTLS", "STARTTLS x", "AUTH PLAIN", "AUTH CRAM-MD5 dGVzdA==",
            "BDAT 10 LAST", "ETRN x", "XYZZY", "RSET ", "MAIL FROM:<a\u0001b@c.test>");
    private static final List<Set<String>> KEYWORDS = List.of(Set.of(),
            Set.of("ENHANCEDSTATUSCODES", "PIPELINING", "8BITMIME", "SIZE", "HELP"),
            Set.of("SMTPUTF8", "AUTH", "STARTTLS", "CHUNKING", "VRFY", "EXPN", "ETRN"),
            Set.of("ENHANCEDSTATUSCODES", "SMTPUTF8", "8BITMIME", "AUTH", "CHUNKING"));

    @Property(tries = 3000)
    void everyFindingCostsWhatItsCatalogueRowSays(@ForAll("exchanges") Exchange exchange) {
        for (Finding f : Oracles.judge(exchange)) {
            assertThat(Judge.documents(f.ruleId(), f.severity()))
                    .as("%s costs %s, which its catalogue row neither gives nor documents: %s",
                            f.ruleId(), f.severity(), f.message())
                    .isTrue();
        }
    }

    @Provide
    Arbitrary<Exchange> exchanges() {
        Arbitrary<SessionModel> models = Combinators.combine(
                Arbitraries.of(SessionState.CONNECTED, SessionState.GREETED, SessionState.MAIL, SessionState.RCPT),
                Arbitraries.of(KEYWORDS), Arbitraries.of(true, false), Arbitraries.integers().between(0, 4),
                Arbitraries.of(true, false))
                .as((state, keywords, tls, errors, viaHelo) -> new SessionModel(state, state != SessionState.CONNECTED,
                        Optional.of(keywords), false, errors, viaHelo,
                        new SessionModel.Security(tls, false, false, false)));
        Arbitrary<Optional<Sent>> sent = Arbitraries.oneOf(Arbitraries.of(COMMANDS).map(Sent::ofLine),
                Arbitraries.of(Sent.GREETING, Sent.END_OF_DATA, Sent.AUTH_RESPONSE, Sent.AUTH_CANCEL)).map(Optional::of);
        return Combinators.combine(models, sent, replies()).as(Exchange::new);
    }

    private static Arbitrary<Reply> replies() {
        Arbitrary<String> code = Arbitraries.of("199", "211", "214", "220", "221", "235", "250", "251", "252", "334",
                "354", "421", "450", "451", "452", "459", "500", "501", "502", "503", "504", "521", "530", "535", "550",
                "552", "553", "554", "555", "2500");
        Arbitrary<String> status = Arbitraries.of("", "2.0.0 ", "2.1.5 ", "4.7.0 ", "5.0.0 ", "5.5.1 ", "5.7.0 ",
                "5.6.7 ", "2.00.0 ", "5. 1.1 ", "9.9.9 ");
        Arbitrary<String> text = Arbitraries.of("ok", "mx.example ESMTP", "/127.0.0.1 hello", "j\u00c3\u00b6rg",
                "a\u0001b", "", "x".repeat(600), "VXNlcm5hbWU6", "Username:");
        Arbitrary<String> ending = Arbitraries.of("\r\n", "\n");
        Arbitrary<String> line = Combinators.combine(code, status, text).as((c, s, t) -> c + " " + s + t);
        return Combinators.combine(line.list().ofMinSize(1).ofMaxSize(3), ending).as((lines, eol) -> {
            StringBuilder wire = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                wire.append(i < lines.size() - 1 && l.length() > 3 ? l.substring(0, 3) + "-" + l.substring(4) : l).append(eol);
            }
            return Reply.parse(wire.toString());
        });
    }
}
