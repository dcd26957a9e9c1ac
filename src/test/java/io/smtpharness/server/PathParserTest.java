package io.smtpharness.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MAIL/RCPT argument grammar of RFC 5321 §4.1.2 and §4.1.3, without a network. */
class PathParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "FROM:<>", "from:<a@example.org>", "FROM: <a@example.org>", "FROM:<a@example.org> ",
        "FROM:<\"john doe\"@example.org>", "FROM:<\"a\\\"b\"@example.org>", "FROM:<\"a>b\"@example.org>",
        "FROM:<a@[192.0.2.1]>", "FROM:<a@[IPv6:::1]>", "FROM:<a@[IPv6:2001:db8::1]>",
        "FROM:<a@[IPv6:2001:db8:0:0:0:0:0:1]>", "FROM:<a@[IPv6:::ffff:192.0.2.1]>",
        "FROM:<@a.example,@b.example:u@example.org>", "FROM:<a@example.org> SIZE=10 BODY=8BITMIME",
    })
    void validMailArgumentsParse(String argument) {
        assertThat(PathParser.parseMail(argument)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "FROM:a@b@c", "FROM:<a@b@c>", "FROM:a@example.org", "FROM<a@example.org>", "TO:<a@example.org>",
        "FROM:<a@example.org", "FROM:<a..b@example.org>", "FROM:<a@bad_label.example>", "FROM:<a@-x.example>",
        "FROM:<a@[256.1.1.1]>", "FROM:<a@[IPv6:1::2::3]>", "FROM:<a@[FOO:bar]>", "FROM:<a\u0001b@example.org>",
        "FROM:<j\u00f6rg@example.org>", "FROM:<a@example.org>SIZE=1", "FROM:<a@example.org> SIZE=", "FROM:<@a:>",
    })
    void invalidMailArgumentsAreRefused(String argument) {
        assertThat(PathParser.parseMail(argument)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TO:<postmaster>", "TO:<PostMaster>", "to:<u@test.example>"})
    void rcptAcceptsBarePostmasterAndMailboxes(String argument) {
        assertThat(PathParser.parseRcpt(argument)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TO:<>", "TO:<user>", "FROM:<u@test.example>"})
    void rcptRefusesTheNullPathAndBareLocalParts(String argument) {
        assertThat(PathParser.parseRcpt(argument)).isEmpty();
    }
}
