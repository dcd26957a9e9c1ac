package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.protocol.Command;
import io.smtpharness.protocol.Reply;
import io.smtpharness.result.Finding;
import io.smtpharness.transcript.Escaping;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Finding messages quote commands and replies exactly as the transcript shows them
 * ({@link Escaping}): a control octet is never dropped or passed on raw, and a non-ASCII octet is
 * never shown as a Latin-1 character, so "NOOP\rX" reads {@code NOOP\rX}, not "NOOPX".
 */
class FindingTextTest {

    private static Reply reply(String wire) {
        return Reply.parse(wire.replace("|", "\r\n") + "\r\n");
    }

    @Test
    void aBareCrInTheCommandAndInTheEchoedReplyReadsAsInTheTranscript() {
        Sent sent = Sent.ofLine("NOOP\rX");
        String echo = "500 5.5.2 unknown command NOOP\rX";
        List<Finding> findings = Oracles.judge(new Exchange(SessionModel.connected(), Optional.of(sent), reply(echo)));
        assertThat(findings).isNotEmpty().allSatisfy(f -> assertThat(f.message())
                .contains("NOOP\\rX got \"" + Escaping.escapeOctets(echo) + "\""));
    }

    @Test
    void aValidatedCommandIsShownAsItsOctetsOnTheWire() {
        // Command forbids only CR and LF; a control or UTF-8 in it is sent as octets and shown escaped
        assertThat(Sent.of(Command.parse("NOOP \u0001x")).text()).isEqualTo("NOOP \\x01x");
        assertThat(Sent.of(Command.parse("VRFY j\u00f6rg")).text()).isEqualTo("VRFY j\\xc3\\xb6rg");
        assertThat(Sent.of(Command.parse("VRFY j\u00f6rg")).octets()).isEqualTo("VRFY j\u00f6rg".length() + 1 + 2);
    }

    @Test
    void noOracleMessageCarriesARawControlOrLatin1Octet() {
        List<String> replies = List.of("220 mx\u0000.example ready\u0007", "250-mx\u0001.example hi|250-SIZE \u0001|250 8BIT\u0000MIME",
                "250-mx.example|250-SIZE lo\u0001ts|250-PIPELINING \u0002|250 X\u00e9\u00ff", "250-m\u00fcx|250-8BITMIME|250 SMTPUTF8",
                "500 5.5.2 unknown NOOP\rX", "550 5.\u00011.1 no", "550-5.1.1 a|550 5.1.\u00022 b", "421 \u0001 bye",
                "250 \u001b[31m ok", "2\u00010 odd", "550 5.1.1 <j\u00c3\u00b6rg@x.test> unknown", "334 \u0001");
        List<Sent> sents = List.of(Sent.GREETING, Sent.ofLine("NOOP\rX"), Sent.ofLine("EHLO c\u0001.test"),
                Sent.ofLine("VRFY j\u00c3\u00b6rg"), Sent.of(Command.parse("MAIL FROM:<a\u0001b@c.test>")),
                Sent.ofLine("HELO c.test"), Sent.ofLine("AUTH PLAIN"), Sent.ofLine("XYZZY\u0000"), Sent.ofLine("QUIT"));
        List<SessionModel> models = List.of(SessionModel.connected(), new SessionModel(SessionState.GREETED, true,
                Optional.of(Set.of("ENHANCEDSTATUSCODES", "SMTPUTF8", "8BITMIME", "HELP")), false));
        List<Finding> all = new ArrayList<>();
        for (SessionModel model : models) {
            for (Sent sent : sents) {
                for (String text : replies) {
                    all.addAll(Oracles.judge(new Exchange(model, Optional.of(sent), reply(text))));
                }
            }
            all.addAll(Oracles.judgeClose(model, Optional.of(Sent.ofLine("XYZZY\u0000"))));
        }
        assertThat(all).hasSizeGreaterThan(50).allSatisfy(f -> assertThat(f.message().chars()
                .filter(c -> c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0xff && c != '\u00a7'))
                .as(f.toString()).isEmpty());
    }
}
