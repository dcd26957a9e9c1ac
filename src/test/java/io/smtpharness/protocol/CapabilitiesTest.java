package io.smtpharness.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one EHLO parser: what the session model, the oracles and the steps read from an EHLO reply. */
class CapabilitiesTest {

    @Test
    void aKeywordIsTheTextUpToTheFirstSpaceAndItsParametersTheWordsAfter() {
        Capabilities caps = Capabilities.of(Reply.parse(
                "250-mx.test greets you\r\n250-size  1000 \r\n250- PIPELINING\r\n250-AUTH PLAIN\r\n250 auth LOGIN\r\n"));
        // " PIPELINING" starts with SP: no ehlo-keyword (§4.1.1.1), so nothing is advertised by it
        assertThat(caps.keywords().keySet()).containsExactly("SIZE", "AUTH");
        assertThat(caps.params("SIZE")).containsExactly("1000");
        assertThat(caps.sizeLimit()).hasValue(1000);
        assertThat(caps.authMechanisms()).containsExactly("PLAIN"); // the first AUTH line counts
    }

    @Test
    void theSessionModelAdvertisesExactlyWhatTheParserLists() {
        Reply ehlo = Reply.parse("250-mx\r\n250-8bitmime\r\n250- STARTTLS\r\n250 SIZE\r\n");
        SessionModel model = SessionModel.connected().after(Sent.GREETING, Reply.parse("220 mx\r\n"))
                .after(Sent.ofLine("EHLO client.test"), ehlo);
        assertThat(model.keywords()).hasValueSatisfying(k -> assertThat(List.copyOf(k))
                .containsExactlyInAnyOrderElementsOf(Capabilities.of(ehlo).keywords().keySet()));
        assertThat(model.advertised("STARTTLS")).isFalse();
    }
}
