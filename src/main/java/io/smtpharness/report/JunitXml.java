package io.smtpharness.report;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.TranscriptEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * {@code junit.xml} in the common Ant/Surefire dialect that GitHub Actions reporters, GitLab and
 * Jenkins read: one {@code <testsuite>} per suite, one {@code <testcase>} per case.
 *
 * <p>Mapping: {@code failed} becomes {@code <failure>} whose type and message start with the rule ID,
 * {@code error} becomes {@code <error>}, {@code skipped} becomes {@code <skipped>}, {@code warning}
 * passes (CI must stay green on SHOULD rules) with its findings at the top of {@code <system-out>}.
 * {@code <system-out>} always holds the rules and the transcript, one event per line.
 *
 * <p>The JDK's XMLStreamWriter escapes markup but writes control characters as they are, which makes
 * the file unreadable to every XML 1.0 parser; so every string passes through {@link SafeText} first.
 */
public final class JunitXml {

    /** The file name inside the report directory. */
    public static final String FILE_NAME = "junit.xml";

    private JunitXml() {
    }

    /** Writes the XML to {@code file}, replacing it. */
    public static void write(RunSummary summary, Path file) throws IOException {
        // buffered: the JDK's XML writer makes a write call per piece of text, tens of thousands per case
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            write(summary, out);
        }
    }

    /** Writes the XML to {@code out} as UTF-8, leaving the stream open. */
    public static void write(RunSummary summary, OutputStream out) throws IOException {
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory()
                    .createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            new Writer(xml).document(summary);
            xml.flush();
            xml.close(); // closes the writer only, never the underlying stream
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    /** The XML as a string, for tests and previews. */
    public static String toXml(RunSummary summary) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(summary, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory output cannot fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The cases, and those a stopped run did not run as {@code skipped} "not run: why", so CI lists
     * every planned case.
     */
    static List<CaseResult> withNotRun(RunSummary summary) {
        List<CaseResult> cases = new ArrayList<>(summary.cases());
        summary.stop().ifPresent(stop -> stop.notRun().forEach(p -> cases.add(new CaseResult(p.suite(), p.id(),
                p.title(), p.rules(), List.of(), Status.SKIPPED, "not run: " + stop.reason(), List.of(), 0, List.of()))));
        return cases;
    }

    /** Cases grouped by suite, suites in first-seen order. */
    static Map<String, List<CaseResult>> bySuite(List<CaseResult> cases) {
        Map<String, List<CaseResult>> suites = new LinkedHashMap<>();
        cases.forEach(c -> suites.computeIfAbsent(c.suite(), k -> new ArrayList<>()).add(c));
        return suites;
    }

    /** The element writer, one instance per document; small methods mirror the element tree. */
    private static final class Writer {
        private final XMLStreamWriter xml;

        Writer(XMLStreamWriter xml) {
            this.xml = xml;
        }

        void document(RunSummary summary) throws XMLStreamException {
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            attr("name", summary.tool() + " " + summary.version() + " against " + summary.target());
            counts(withNotRun(summary));
            attr("time", seconds(summary.durationMs()));
            xml.writeCharacters("\n");
            for (Map.Entry<String, List<CaseResult>> suite : bySuite(withNotRun(summary)).entrySet()) {
                suite(summary, suite.getKey(), suite.getValue());
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
        }

        private void suite(RunSummary summary, String name, List<CaseResult> cases) throws XMLStreamException {
            xml.writeStartElement("testsuite");
            attr("name", name);
            counts(cases);
            attr("time", seconds(cases.stream().mapToLong(CaseResult::durationMs).sum()));
            // Surefire's form: local date-time without zone; ours is always UTC
            attr("timestamp", LocalDateTime.ofInstant(summary.startedAt(), ZoneOffset.UTC)
                    .truncatedTo(ChronoUnit.SECONDS).toString());
            xml.writeCharacters("\n");
            for (CaseResult c : cases) {
                testcase(c);
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
        }

        private void testcase(CaseResult c) throws XMLStreamException {
            xml.writeStartElement("testcase");
            attr("classname", c.suite());
            attr("name", c.id());
            attr("time", seconds(c.durationMs()));
            if (c.status() == Status.FAILED) {
                Finding worst = c.findings().stream().filter(f -> f.severity() == Severity.FAILED && !f.incidental())
                        .findFirst().orElse(null);
                String rule = worst != null ? worst.ruleId() : c.rules().isEmpty() ? "failed" : c.rules().get(0);
                outcome("failure", rule + ": " + c.message(), rule, findingLines(c.findings()));
            } else if (c.status() == Status.ERROR) {
                outcome("error", c.message(), "error", findingLines(c.findings()));
            } else if (c.status() == Status.SKIPPED) {
                xml.writeEmptyElement("skipped");
                attr("message", c.message());
            }
            systemOut(c);
            xml.writeEndElement();
            xml.writeCharacters("\n");
        }

        private void outcome(String element, String message, String type, String body)
                throws XMLStreamException {
            xml.writeStartElement(element);
            attr("message", message);
            attr("type", type);
            xml.writeCharacters(body);
            xml.writeEndElement();
        }

        private void systemOut(CaseResult c) throws XMLStreamException {
            // each piece is made one line before joining, so only our own newlines separate lines
            List<String> lines = new ArrayList<>();
            lines.add(c.title());
            lines.add("status: " + c.status().label() + (c.message().isEmpty() ? "" : " - " + c.message()));
            lines.add("rules: " + String.join(" ", c.rules()));
            if (!c.findings().isEmpty()) {
                lines.add("findings:");
                c.findings().forEach(f -> lines.add(findingLine(f)));
            }
            lines.add("transcript:");
            for (TranscriptEvent e : c.transcript()) {
                lines.add(e.tMs() + " " + SummaryJson.dirLabel(e.direction()) + " " + e.text());
            }
            StringBuilder out = new StringBuilder();
            lines.forEach(line -> out.append(SafeText.oneLine(line)).append('\n'));
            xml.writeStartElement("system-out");
            xml.writeCharacters(out.toString());
            xml.writeEndElement();
        }

        private void counts(List<CaseResult> cases) throws XMLStreamException {
            attr("tests", Integer.toString(cases.size()));
            attr("failures", count(cases, Status.FAILED));
            attr("errors", count(cases, Status.ERROR));
            attr("skipped", count(cases, Status.SKIPPED));
        }

        private void attr(String name, String value) throws XMLStreamException {
            xml.writeAttribute(name, SafeText.oneLine(value));
        }
    }

    private static String findingLines(List<Finding> findings) {
        StringBuilder out = new StringBuilder();
        findings.forEach(f -> out.append(SafeText.oneLine(findingLine(f))).append('\n'));
        return out.toString();
    }

    private static String findingLine(Finding f) {
        return f.ruleId() + " " + f.severity().name().toLowerCase(Locale.ROOT) + (f.incidental() ? " (incidental)" : "")
                + ": " + f.message();
    }

    private static String count(List<CaseResult> cases, Status status) {
        return Long.toString(cases.stream().filter(c -> c.status() == status).count());
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
