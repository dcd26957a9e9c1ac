package io.smtpharness.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The encodings against the examples of the RFCs that define them. */
class SaslTest {

    @Test
    void plainIsNulUserNulPasswordInBase64() {
        // RFC 4616 §4: "\0tim\0tanstaaftanstaaf"
        assertThat(Sasl.plain("tim", "tanstaaftanstaaf")).isEqualTo("AHRpbQB0YW5zdGFhZnRhbnN0YWFm");
    }

    @Test
    void cramMd5AnswersTheChallengeOfRfc2195() {
        String challenge = Sasl.decodeLenient("PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+");
        assertThat(challenge).isEqualTo("<1896.697170952@postoffice.reston.mci.net>");
        assertThat(Sasl.cramMd5Text("tim", "tanstaaftanstaaf", challenge))
                .isEqualTo("tim b913a602c7eda7a495b4e6e7334d3890");
        assertThat(Sasl.cramMd5("tim", "tanstaaftanstaaf", challenge))
                .isEqualTo("dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
    }

    @Test
    void aLineThatIsNotBase64IsKeptAsItIs() {
        assertThat(Sasl.decodeLenient("not base64!")).isEqualTo("not base64!");
        assertThat(Sasl.base64("Username:")).isEqualTo("VXNlcm5hbWU6");
    }
}
