package io.smtpharness.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every class of bad input gives one SuiteException with the right line; line numbers are 1-based. */
class SuiteErrorsTest {

    private static final String RULE = "5321-3.3-RCPT-NEEDS-MAIL";
    /** Lines 1-6 of a valid file; its one step is on line 7, so a step appended here lands on line 8. */
    private static final String HEAD = "suite: s\n"
            + "cases:\n"
            + "  - id: c\n"
            + "    title: t\n"
            + "    rules: [" + RULE + "]\n"
            + "    steps:\n"
            + "      - send: NOOP\n";

    @TempDir
    Path dir;

    private SuiteException error(String yaml) {
        return error(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private SuiteException error(byte[] content) {
        Path file = dir.resolve("bad.yaml");
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        SuiteException e = catchThrowableOfType(SuiteException.class, () -> new SuiteLoader().load(file));
        assertThat(e).as("loading should fail").isNotNull();
        assertThat(e.path()).isEqualTo(file.toString());
        String prefix = e.line() > 0 ? file + ":" + e.line() + ": " : file + ": ";
        assertThat(e.getMessage()).startsWith(prefix).isEqualTo(prefix + e.problem());
        return e;
    }

    private SuiteException stepError(String stepLines) {
        return error(HEAD + stepLines);
    }

    @Nested
    class UnknownKeys {
        @Test
        void unknownTopLevelKeyNamesTheKeyTheLineAndTheAllowedKeys() {
            SuiteException e = error("suite: s\nsuites: x\ncases: []\n");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.problem()).contains("unknown key 'suites'").contains("allowed keys: suite, title, tags, cases");
        }

        @Test
        void unknownCaseKeyIsReportedOnItsLine() {
            SuiteException e = error(HEAD + "    descripton: x\n");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).contains("'descripton'").contains("id, title, rules, level, requires, unless, tags, steps");
        }

        @Test
        void unknownStepKeyIsReportedOnItsLine() {
            SuiteException e = stepError("      - send: QUIT\n        expct: 221\n");
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.problem()).contains("unknown key 'expct'").contains("send, send-raw, data, expect");
        }

        @Test
        void closeWrittenAsAKeyExplainsThePlainForm() {
            SuiteException e = stepError("      - close: true\n");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).contains("'- close'");
        }

        @Test
        void requiresTakesEhloKeywordsOnly() {
            SuiteException e = error(HEAD + "    requires: [STARTTLS, \"SIZE 1000\"]\n");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).isEqualTo("'SIZE 1000' is not an EHLO keyword (letters, digits and '-')");
        }

        @Test
        void unknownPlainStepIsRefused() {
            assertThat(stepError("      - quit\n").line()).isEqualTo(8);
        }
    }

    /** The STARTTLS and AUTH steps (RFC 3207, RFC 4954). */
    @Nested
    class TlsAndAuthSteps {
        @Test
        void starttlsWrittenAsAKeyExplainsThePlainForm() {
            SuiteException e = stepError("      - starttls: yes\n");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).contains("'- starttls'").contains("starttls-inject");
        }

        @Test
        void starttlsInjectTakesNoRule() {
            SuiteException e = stepError("      - starttls-inject: \"NOOP\\r\\n\"\n        rule: " + RULE + "\n");
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.problem()).contains("3207-4.2-NO-INJECTION");
        }

        @Test
        void authNeedsAKnownMechanism() {
            SuiteException e = stepError("      - auth: DIGEST-MD5\n");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).contains("PLAIN, LOGIN, CRAM-MD5").contains("'DIGEST-MD5'");
        }

        @Test
        void aPasswordNeverComesFromTheSuite() {
            SuiteException e = stepError("      - auth: PLAIN\n        password: hunter2\n");
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.problem()).contains("only 'wrong'").contains("never from a suite file");
        }

        @Test
        void passwordGoesOnlyWithAuth() {
            SuiteException e = stepError("      - send: NOOP\n        password: wrong\n");
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.problem()).contains("'password' goes only with 'auth'");
        }
    }

    @Nested
    class TypesAndRequiredKeys {
        @Test
        void listWhereATextBelongsIsRefused() {
            SuiteException e = error(HEAD.replace("title: t", "title: [a, b]"));
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.problem()).contains("title must be a single value, not a list");
        }

        @Test
        void textWhereAListBelongsIsRefused() {
            SuiteException e = error(HEAD.replace("rules: [" + RULE + "]", "rules: " + RULE));
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.problem()).contains("rules must be a list");
        }

        @Test
        void aStepThatIsAListIsRefused() {
            assertThat(stepError("      - [send, NOOP]\n").line()).isEqualTo(8);
        }

        @Test
        void missingSuiteNameIsReportedAtTheTop() {
            SuiteException e = error("cases: []\n");
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.problem()).contains("required key 'suite'");
        }

        @Test
        void missingCaseTitleIsReportedAtTheCase() {
            SuiteException e = error(HEAD.replace("    title: t\n", ""));
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.problem()).contains("case 'c' is missing the required key 'title'");
        }

        @Test
        void missingRulesAndStepsAreReported() {
            assertThat(error(HEAD.replace("    rules: [" + RULE + "]\n", "")).problem()).contains("'rules'");
            assertThat(error("suite: s\ncases:\n  - id: c\n    title: t\n    rules: [" + RULE + "]\n").problem())
                    .contains("'steps'");
        }

        @Test
        void anEmptyValueIsRefused() {
            SuiteException e = stepError("      - send:\n");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).contains("send needs a value");
        }

        @Test
        void emptyStepsRulesAndCasesListsAreRefused() {
            assertThat(error(HEAD.replace("    steps:\n      - send: NOOP\n", "    steps: []\n")).line()).isEqualTo(6);
            assertThat(error(HEAD.replace("rules: [" + RULE + "]", "rules: []")).line()).isEqualTo(5);
            assertThat(error("suite: s\ncases: []\n").line()).isEqualTo(2);
        }

        @Test
        void badIdentifiersAndLevelsAreRefused() {
            assertThat(error(HEAD.replace("suite: s", "suite: Core Suite")).line()).isEqualTo(1);
            assertThat(error(HEAD.replace("id: c", "id: c_1")).line()).isEqualTo(3);
            assertThat(error(HEAD + "    level: OFTEN\n").problem()).contains("MUST, SHOULD or MAY");
            assertThat(error(HEAD + "    tags: [a b]\n").line()).isEqualTo(8);
        }
    }

    @Nested
    class Duplicates {
        @Test
        void duplicateCaseIdIsReportedAtTheSecondCase() {
            String second = "  - id: c\n    title: t2\n    rules: [" + RULE + "]\n    steps: [close]\n";
            SuiteException e = error(HEAD + second);
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).contains("duplicate case id 'c'").contains("line 3");
        }

        @Test
        void duplicateMappingKeyIsRefused() {
            SuiteException e = stepError("      - send: NOOP\n        send: QUIT\n");
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.problem()).contains("duplicate key 'send'");
        }

        @Test
        void duplicateSuiteNamesAcrossFilesNameBothFiles() throws IOException {
            Path a = Files.writeString(dir.resolve("a.yaml"), HEAD);
            Path b = Files.writeString(dir.resolve("b.yaml"), "\n" + HEAD);
            SuiteException e = catchThrowableOfType(SuiteException.class, () -> new SuiteLoader().loadAll(List.of(dir)));
            assertThat(e.path()).isEqualTo(b.toString());
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.getMessage()).contains(b.toString()).contains(a + ":1");
        }
    }

    @Nested
    class Values {
        @Test
        void unknownRuleIdInCaseRulesIsReported() {
            SuiteException e = error(HEAD.replace("rules: [" + RULE + "]", "rules:\n      - " + RULE + "\n      - 5321-9-NOPE"));
            assertThat(e.line()).isEqualTo(7);
            assertThat(e.problem()).contains("unknown rule ID '5321-9-NOPE'");
        }

        @Test
        void unknownRuleIdOnAStepIsReported() {
            assertThat(stepError("      - expect: 250\n        rule: G-99\n").line()).isEqualTo(9);
        }

        @Test
        void stateCellAndGrayZoneRuleIdsAreAccepted() {
            Path file = dir.resolve("ok.yaml");
            String yaml = HEAD + "      - expect: 250\n        rule: 5321-4.1.4-STATE:INIT:RCPT\n"
                    + "      - expect: 250\n        rule: G-01\n";
            assertThat(new SuiteLoader().parse(file.toString(), yaml.getBytes(StandardCharsets.UTF_8))).hasSize(1);
        }

        @Test
        void invalidCodePatternsAreRefused() {
            assertThat(stepError("      - expect: 25\n").problem()).contains("'25' is not a reply code pattern");
            assertThat(stepError("      - expect: 6xx\n").line()).isEqualTo(8);
            assertThat(stepError("      - expect:\n          - 250\n          - abc\n").line()).isEqualTo(10);
            assertThat(stepError("      - expect: []\n").problem()).contains("at least one reply code");
        }

        @Test
        void invalidDurationsAreRefused() {
            assertThat(stepError("      - pause: 3\n").problem()).contains("not a duration");
            assertThat(stepError("      - expect-none: 1h\n").line()).isEqualTo(8);
            assertThat(stepError("      - expect-close: 11m\n").problem()).contains("maximum of 10m");
            assertThat(stepError("      - pause: 0ms\n").problem()).contains("greater than zero");
        }

        @Test
        void unknownVariableIsRefusedInSendRawAndData() {
            assertThat(stepError("      - send: EHLO ${host}\n").problem()).contains("${host}");
            assertThat(stepError("      - send-raw: \"${nope}\\r\\n\"\n").line()).isEqualTo(8);
            assertThat(stepError("      - data: |\n          To: ${to}\n").line()).isEqualTo(8);
        }

        @Test
        void sendWithALineBreakPointsToSendRaw() {
            assertThat(stepError("      - send: \"NOOP\\r\\nQUIT\"\n").problem()).contains("use send-raw");
            assertThat(stepError("      - send: \" NOOP\"\n").problem()).contains("not a command line");
        }
    }

    @Nested
    class StepShapes {
        @Test
        void aStepWithTwoActionsIsRefused() {
            SuiteException e = stepError("      - send: NOOP\n        data: x\n");
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).contains("'send' and 'data'");
        }

        @Test
        void expectCannotGoWithAWait() {
            assertThat(stepError("      - expect-none: 3s\n        expect: 250\n").problem()).contains("use two steps");
        }

        @Test
        void aStepWithOnlyARuleIsRefused() {
            assertThat(stepError("      - rule: " + RULE + "\n").problem()).contains("a step needs one of");
        }

        @Test
        void ruleOnARawSendWithoutExpectOrOnAPauseIsRefused() {
            assertThat(stepError("      - send-raw: x\n        rule: " + RULE + "\n").line()).isEqualTo(9);
            assertThat(stepError("      - pause: 1s\n        rule: " + RULE + "\n").line()).isEqualTo(9);
        }
    }

    @Nested
    class FilesAndYaml {
        @Test
        void yamlSyntaxErrorCarriesTheParsersLine() {
            SuiteException e = error("suite: s\ncases:\n  - id: c\n    title: \"unterminated\n");
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.problem()).startsWith("YAML syntax error");
        }

        @Test
        void badIndentationIsASyntaxErrorWithItsLine() {
            SuiteException e = error("suite: s\ncases:\n  - id: c\n   title: t\n");
            assertThat(e.line()).isEqualTo(4);
        }

        @Test
        void aSecondDocumentIsRefused() {
            assertThat(error(HEAD + "---\n" + HEAD).line()).isEqualTo(8);
        }

        @Test
        void invalidUtf8IsReportedOnTheLineOfTheBadByte() {
            byte[] text = (HEAD + "    tags: [x]\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] bad = new byte[text.length + 1];
            System.arraycopy(text, 0, bad, 0, text.length);
            bad[text.length - 3] = (byte) 0xE9; // inside the tag on line 8
            bad[text.length] = '\n';
            SuiteException e = error(bad);
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.problem()).contains("not UTF-8").contains("0xe9");
        }

        @Test
        void aRawControlCharacterIsReportedOnItsLine() {
            SuiteException e = error(HEAD.replace("title: t", "title: t\u0000"));
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.problem()).contains("U+0000");
        }

        @Test
        void aNonTextKeyIsReportedOnItsLine() {
            assertThat(error(HEAD + "    ? [a]\n    : b\n").line()).isEqualTo(8);
        }

        @Test
        void emptyAndCommentOnlyFilesAreRefused() {
            assertThat(error("").problem()).contains("empty");
            assertThat(error("  \n\n").problem()).contains("empty");
            assertThat(error("# only a comment\n").problem()).contains("no YAML document");
        }

        @Test
        void aTopLevelListIsNotASuite() {
            assertThat(error("- a\n- b\n").problem()).contains("must be a mapping");
        }

        @Test
        void filesOverOneMebibyteAreRefusedUnread() {
            byte[] big = new byte[SourceText.MAX_BYTES + 1];
            java.util.Arrays.fill(big, (byte) '#');
            SuiteException e = error(big);
            assertThat(e.line()).isZero();
            assertThat(e.problem()).contains("1 MiB");
        }

        @Test
        void anchorsAndAliasesAreRefused() {
            SuiteException e = error(HEAD.replace("title: t", "title: &t t") + "    tags: [*t]\n");
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.problem()).contains("anchors and aliases");
        }

        @Test
        void anAliasBombIsRefusedWithoutExpansion() {
            StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
            for (char c = 'b'; c <= 'z'; c++) {
                char prev = (char) (c - 1);
                yaml.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
                        .append(", *").append(prev).append(", *").append(prev).append("]\n");
            }
            assertThat(error(yaml.toString())).isNotNull();
        }

        @Test
        void aMissingFileIsReportedWithoutALine() {
            Path missing = dir.resolve("missing.yaml");
            SuiteException e = catchThrowableOfType(SuiteException.class, () -> new SuiteLoader().load(missing));
            assertThat(e.line()).isZero();
            assertThat(e.getMessage()).isEqualTo(missing + ": no such file or directory");
        }

        @Test
        void aDirectoryWithoutSuitesIsAnError() throws IOException {
            Path empty = Files.createDirectory(dir.resolve("empty"));
            SuiteException e = catchThrowableOfType(SuiteException.class, () -> new SuiteLoader().loadAll(List.of(empty)));
            assertThat(e.problem()).contains("no *.yaml");
        }
    }
}
