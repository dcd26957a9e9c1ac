package io.smtpharness.report;

import io.smtpharness.result.CaseResult;
import io.smtpharness.result.Finding;
import io.smtpharness.result.RunWideFinding;
import io.smtpharness.result.RunSummary;
import io.smtpharness.result.Severity;
import io.smtpharness.result.Status;
import io.smtpharness.transcript.Direction;
import io.smtpharness.transcript.TranscriptEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The end-of-run text for the terminal: one counts line, then every failed and errored case with
 * its rule IDs, message and the last server reply. ANSI colour only when asked: the caller knows
 * whether stdout is a TTY, this class does not.
 *
 * <p>Messages may quote server text, so every control character (ESC included) is shown escaped;
 * a hostile server cannot drive the user's terminal.
 */
public final class TerminalSummary {

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";

    private TerminalSummary() {
    }

    /** The summary text, ending in a newline; coloured with ANSI codes if {@code colour}. */
    public static String render(RunSummary summary, boolean colour) {
        StringBuilder out = new StringBuilder();
        out.append(paint(colour, BOLD, SafeText.oneLine(summary.tool() + " " + summary.version()
                + " against " + summary.target()))).append(": ").append(summary.cases().size())
                .append(" cases in ").append(String.format(Locale.ROOT, "%.1f s", summary.durationMs() / 1000.0))
                .append('\n');
        Map<Status, Integer> counts = summary.counts();
        List<String> parts = new ArrayList<>();
        for (Status s : List.of(Status.PASSED, Status.FAILED, Status.WARNING, Status.SKIPPED, Status.ERROR)) {
            String part = counts.get(s) + " " + s.label();
            parts.add(counts.get(s) > 0 ? paint(colour, ansi(s), part) : part);
        }
        out.append(String.join(", ", parts)).append('\n');
        summary.stop().ifPresent(stop -> out.append(paint(colour, ansi(Status.ERROR), "STOPPED")).append("  ")
                .append(SafeText.oneLine(stop.reason())).append(stop.notRun().isEmpty() ? "" : " (" + stop.notRun().size()
                        + " cases not run)").append('\n'));
        appendSetupRefusals(out, summary, colour);
        for (CaseResult c : summary.cases()) {
            if (c.status() == Status.FAILED || c.status() == Status.ERROR) {
                appendCase(out, c, colour);
            }
        }
        appendRunWide(out, "how the server writes replies (each once; these also decided the cases above):",
                summary.serverWideFindings(), colour);
        appendRunWide(out, "seen outside the cases that test them (each once; the exit code counts failures):",
                summary.incidentalFindings(), colour);
        return out.toString();
    }

    private static void appendRunWide(StringBuilder out, String heading, List<RunWideFinding> found, boolean colour) {
        if (found.isEmpty()) {
            return;
        }
        out.append(heading).append('\n');
        for (RunWideFinding f : found) {
            Status s = f.severity().toStatus();
            out.append(paint(colour, ansi(s), String.format(Locale.ROOT, "%-6s", s.label().toUpperCase(Locale.ROOT))))
                    .append("  ").append(SafeText.oneLine(f.ruleId() + "  " + f.evidence())).append('\n')
                    .append("        in ").append(f.cases().size()).append(f.cases().size() == 1 ? " case: " : " cases: ")
                    .append(SafeText.oneLine(abbreviate(f.cases()))).append('\n');
        }
    }

    /** Cases skipped because the server refused our sender, recipient or EHLO name: said once, first. */
    private static void appendSetupRefusals(StringBuilder out, RunSummary summary, boolean colour) {
        Map<String, Long> reasons = summary.cases().stream()
                .filter(c -> c.status() == Status.SKIPPED && c.message().startsWith(CaseResult.SETUP_REFUSED))
                .collect(Collectors.groupingBy(CaseResult::message, LinkedHashMap::new, Collectors.counting()));
        reasons.forEach((reason, count) -> out.append(paint(colour, BOLD, "NOTE")).append("  ").append(count)
                .append(count == 1 ? " case" : " cases").append(" skipped, ")
                .append(SafeText.oneLine(reason)).append('\n'));
    }

    private static String abbreviate(List<String> cases) {
        return cases.size() <= 3 ? String.join(", ", cases)
                : String.join(", ", cases.subList(0, 3)) + " and " + (cases.size() - 3) + " more";
    }

    // One line per failing finding, "STATUS  suite/id  RULE-ID  message", so the lines grep well.
    private static void appendCase(StringBuilder out, CaseResult c, boolean colour) {
        String head = paint(colour, ansi(c.status()),
                String.format(Locale.ROOT, "%-6s", c.status().label().toUpperCase(Locale.ROOT)))
                + "  " + SafeText.oneLine(c.qualifiedId()) + "  ";
        // incidental findings are listed once, after the cases, with the cases they were seen in
        List<Finding> failing = c.findings().stream().filter(f -> f.severity() == Severity.FAILED && !f.incidental())
                .toList();
        if (c.status() == Status.ERROR || failing.isEmpty()) {
            String rules = c.rules().isEmpty() ? "-" : String.join(",", c.rules());
            out.append(head).append(SafeText.oneLine(rules + "  " + c.message())).append('\n');
        } else {
            for (Finding f : failing) {
                out.append(head).append(SafeText.oneLine(f.ruleId() + "  " + f.message())).append('\n');
            }
        }
        lastReply(c).ifPresent(text -> out.append("        last reply: ").append(SafeText.oneLine(text))
                .append('\n'));
    }

    // The last thing the server said is usually the offending reply, or shows where it stopped.
    private static Optional<String> lastReply(CaseResult c) {
        List<TranscriptEvent> events = c.transcript();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).direction() == Direction.S) {
                return Optional.of(events.get(i).text());
            }
        }
        return Optional.empty();
    }

    private static String ansi(Status s) {
        switch (s) {
            case FAILED: return "\u001b[31m";
            case ERROR: return "\u001b[35m";
            case WARNING: return "\u001b[33m";
            case SKIPPED: return "\u001b[90m";
            default: return "\u001b[32m";
        }
    }

    private static String paint(boolean colour, String code, String text) {
        return colour ? code + text + RESET : text;
    }
}
