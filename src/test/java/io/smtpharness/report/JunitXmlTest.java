package io.smtpharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.result.RunSummary;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitXmlTest {

    @TempDir
    Path dir;

    @Test
    void hasOneTestcasePerCaseWithSuiteAsClassname() throws Exception {
        Document doc = writeAndParse(ReportFixtures.allStatuses());

        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(5);
        Element first = (Element) cases.item(0);
        assertThat(first.getAttribute("classname")).isEqualTo("core");
        assertThat(first.getAttribute("name")).isEqualTo("greeting");
        assertThat(first.getAttribute("time")).isEqualTo("0.012");
    }

    @Test
    void groupsCasesIntoOneTestsuitePerSuiteWithCounts() throws Exception {
        Document doc = writeAndParse(ReportFixtures.allStatuses());

        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("testsuites");
        NodeList suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(2);
        Element core = (Element) suites.item(0);
        assertThat(core.getAttribute("name")).isEqualTo("core");
        assertThat(core.getAttribute("tests")).isEqualTo("3");
        assertThat(core.getAttribute("failures")).isEqualTo("1");
        assertThat(core.getAttribute("errors")).isEqualTo("1");
        assertThat(core.getAttribute("skipped")).isEqualTo("0");
        assertThat(core.getAttribute("time")).isEqualTo("31.542");
        Element ext = (Element) suites.item(1);
        assertThat(ext.getAttribute("skipped")).isEqualTo("1");
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("5");
    }

    @Test
    void failedCaseHasFailureNamingTheRule() throws Exception {
        Element failed = testcase(writeAndParse(ReportFixtures.allStatuses()), "rcpt-before-mail");

        Element failure = child(failed, "failure");
        assertThat(failure.getAttribute("type")).isEqualTo("5321-4.1.4-ORDER");
        assertThat(failure.getAttribute("message"))
                .isEqualTo("5321-4.1.4-ORDER: RCPT before MAIL got 250, expected 503");
        assertThat(failure.getTextContent()).contains("5321-4.1.4-ORDER failed: RCPT before MAIL got 250")
                .contains("5321-3.1-VERSION-IN-BANNER note");
    }

    @Test
    void errorCaseHasErrorElement() throws Exception {
        Element error = child(testcase(writeAndParse(ReportFixtures.allStatuses()), "quit"), "error");

        assertThat(error.getAttribute("message")).isEqualTo("timeout after 30 s without a reply");
    }

    @Test
    void skippedCaseHasSkippedWithReason() throws Exception {
        Element skipped = child(testcase(writeAndParse(ReportFixtures.allStatuses()), "pipelining"), "skipped");

        assertThat(skipped.getAttribute("message")).isEqualTo("PIPELINING not advertised");
    }

    @Test
    void warningCasePassesWithFindingsInSystemOut() throws Exception {
        Element warning = testcase(writeAndParse(ReportFixtures.allStatuses()), "size-declared");

        assertThat(warning.getElementsByTagName("failure").getLength()).isZero();
        assertThat(warning.getElementsByTagName("error").getLength()).isZero();
        assertThat(warning.getElementsByTagName("skipped").getLength()).isZero();
        assertThat(child(warning, "system-out").getTextContent())
                .contains("1870-SIZE warning: SIZE advertised without a number");
    }

    @Test
    void passedCaseHasNoOutcomeElement() throws Exception {
        Element passed = testcase(writeAndParse(ReportFixtures.allStatuses()), "greeting");

        assertThat(passed.getElementsByTagName("failure").getLength()).isZero();
        assertThat(passed.getElementsByTagName("skipped").getLength()).isZero();
    }

    @Test
    void systemOutHoldsTheTranscriptOneEventPerLine() throws Exception {
        String out = child(testcase(writeAndParse(ReportFixtures.allStatuses()), "rcpt-before-mail"),
                "system-out").getTextContent();

        assertThat(out).contains("rules: 5321-4.1.4-ORDER\n")
                .contains("\n2 S 220 mx.example ESMTP\\r\\n\n")
                .contains("\n9 C RCPT TO:<a@b.test>\\r\\n\n");
        assertThat(testcaseOut("greeting")).contains("\n0 note connected to 127.0.0.1:2525\n");
    }

    @Test
    void forbiddenControlCharactersNeverReachTheFile() throws Exception {
        Path file = dir.resolve("junit.xml");
        JunitXml.write(ReportFixtures.summary(List.of(ReportFixtures.hostile())), file);

        String xml = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(xml.chars().filter(JunitXmlTest::forbiddenInXml10)).isEmpty();
        Element failure = child(testcase(parse(file), "markup"), "failure");
        assertThat(failure.getAttribute("message"))
                .contains("reply had \\x00 NUL, \\x1b[31mESC\\x1b[0m, bare\\nLF")
                .contains(ReportFixtures.SCRIPT);
        assertThat(failure.getTextContent()).contains("\\x07");
    }

    @Test
    void lineBreaksInsideMessagesDoNotSplitSystemOutLines() throws Exception {
        String out = child(testcase(writeAndParse(ReportFixtures.summary(List.of(ReportFixtures.hostile()))),
                "markup"), "system-out").getTextContent();

        assertThat(out).contains("\nstatus: failed - reply had \\x00 NUL, \\x1b[31mESC\\x1b[0m, bare\\nLF and");
        assertThat(testcaseOut("greeting")).contains("\nstatus: passed\n");
    }

    @Test
    void markupInTextIsEscapedNotInterpreted() throws Exception {
        Element hostile = testcase(writeAndParse(ReportFixtures.summary(List.of(ReportFixtures.hostile()))),
                "markup");

        assertThat(hostile.getElementsByTagName("script").getLength()).isZero();
        assertThat(child(hostile, "system-out").getTextContent()).contains("1 S 220 " + ReportFixtures.SCRIPT);
    }

    @Test
    void emptyRunIsAValidDocument() throws Exception {
        Document doc = writeAndParse(ReportFixtures.summary(List.of()));

        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("0");
    }

    private String testcaseOut(String id) throws Exception {
        return child(testcase(writeAndParse(ReportFixtures.allStatuses()), id), "system-out").getTextContent();
    }

    private Document writeAndParse(RunSummary summary) throws Exception {
        Path file = dir.resolve("junit.xml");
        JunitXml.write(summary, file);
        return parse(file);
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(file)));
    }

    private static Element testcase(Document doc, String name) {
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no testcase " + name);
    }

    private static Element child(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        assertThat(nodes.getLength()).as("<%s> in <%s>", tag, parent.getAttribute("name")).isEqualTo(1);
        return (Element) nodes.item(0);
    }

    private static boolean forbiddenInXml10(int c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF;
    }
}
