package io.smtpharness.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RuleCatalogTest {

    private final RuleCatalog catalog = RuleCatalog.standard();

    @Test
    void holdsTheCountsTheDocumentStates() {
        Map<String, Integer> perRfc = new TreeMap<>();
        catalog.all().forEach(r -> perRfc.merge(r.rfc(), 1, Integer::sum));
        assertThat(perRfc).containsEntry("5321", 170).containsEntry("gray", 25).containsEntry("4954", 24);
    }

    @Test
    void everyRuleHasASectionAndText() {
        assertThat(catalog.all()).allSatisfy(r -> {
            assertThat(r.section()).isNotBlank();
            assertThat(r.text()).isNotBlank();
        });
    }

    @Test
    void levelsAreReadFromTheDocument() {
        assertThat(catalog.require("5321-3.3-RCPT-NEEDS-MAIL").level()).isEqualTo(Level.MUST);
        assertThat(catalog.require("5321-4.1.1.8-HELP").level()).isEqualTo(Level.SHOULD);
        assertThat(catalog.require("5321-3.2-HELO-PLAIN-REPLY").level()).isEqualTo(Level.MUST);
        assertThat(catalog.require("G-04").level()).isEqualTo(Level.GRAY);
    }

    @Test
    void stateCellsAreKnownWithoutARow() {
        assertThat(catalog.isKnown("5321-4.1.4-STATE:MAIL:DATA")).isTrue();
        assertThat(catalog.isKnown("5321-9.9-NO-SUCH-RULE")).isFalse();
    }

    @Test
    void everyRuleTheOraclesCiteIsInTheCatalogue() throws Exception {
        String[] cited = {"5321-4.2-ONE-REPLY", "5321-4.2-REPLY-SYNTAX", "5321-4.2-SP-WITHOUT-TEXT",
            "5321-4.2-MULTILINE-SAME-CODE", "5321-2.3.8-REPLY-CRLF", "G-13", "5321-4.2-TEXTSTRING",
            "5321-4.2.1-3YZ-INTERMEDIATE", "5321-4.3.1-TABLE", "5321-4.1.1.1-REPLY-FORMAT",
            "5321-3.2-HELO-PLAIN-REPLY", "G-04", "G-16", "G-17", "G-05", "5321-3.3-RCPT-NEEDS-MAIL",
            "5321-3.3-DATA-NO-RCPT", "5321-4.1.4-OUT-OF-ORDER-503", "5321-4.1.1-NOARG-CMDS",
            "5321-4.1.4-NONMAIL-NO-EHLO", "5321-4.3.2-REQUIRED-NOT-500", "5321-4.1.1.8-HELP",
            "5321-4.2.4-502-VS-500", "5321-3.8-UNKNOWN-IS-500", "5321-3.8-CLOSE-ONLY-IF",
            "5321-4.1.1.5-RSET-250", "5321-4.1.1.9-NOOP-250", "5321-4.1.1.10-QUIT-221"};
        for (String id : cited) {
            assertThat(catalog.isKnown(id)).as(id).isTrue();
        }
        for (CommandKind kind : CommandKind.values()) {
            ReplyTable.codesFor(kind); // rows resolve; the table's own IDs are checked below
        }
        for (String row : new String[] {"CONNECT", "EHLO", "MAIL", "RCPT", "DATA", "EOD", "RSET", "VRFY", "EXPN",
            "HELP"}) {
            assertThat(catalog.isKnown("5321-4.3.2-" + row + "-CODES")).as(row).isTrue();
        }
    }
}
