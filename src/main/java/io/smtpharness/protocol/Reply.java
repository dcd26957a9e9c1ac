package io.smtpharness.protocol;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One complete server reply (single or multi-line) with the grammar deviations seen in it.
 * A reply is always returned, however malformed: judging it is the rules package's job.
 */
public record Reply(List<ReplyLine> lines, List<Deviation> deviations) {

    public Reply {
        lines = List.copyOf(Objects.requireNonNull(lines, "lines == null"));
        deviations = List.copyOf(Objects.requireNonNull(deviations, "deviations == null"));
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    /** Parses wire text (lines ended by CRLF or bare LF) into one reply; for tests and tools. */
    public static Reply parse(String wire) {
        ReplyParser parser = new ReplyParser(Integer.MAX_VALUE);
        Reply reply = null;
        int start = 0;
        while (start < wire.length() && reply == null) {
            int lf = wire.indexOf('\n', start);
            ReplyLine line = lf < 0
                    ? new ReplyLine(wire.substring(start), "", 0)
                    : splitDelimiter(wire.substring(start, lf + 1));
            start = lf < 0 ? wire.length() : lf + 1;
            reply = parser.accept(line).orElse(null);
        }
        return reply != null ? reply : parser.finishPartial().orElseThrow(
                () -> new IllegalArgumentException("no reply line in input"));
    }

    private static ReplyLine splitDelimiter(String withLf) {
        boolean crlf = withLf.endsWith("\r\n");
        int cut = withLf.length() - (crlf ? 2 : 1);
        return new ReplyLine(withLf.substring(0, cut), crlf ? "\r\n" : "\n", 0);
    }

    /** The numeric code of the first line, or -1 when it has no three-digit code. */
    public int code() {
        String code = lines.get(0).code();
        return code == null ? -1 : Integer.parseInt(code);
    }

    /** The first digit of the code (2 to 5 for a valid reply), or -1. */
    public int codeClass() {
        int code = code();
        return code < 0 ? -1 : code / 100;
    }

    /** True when the code starts with 2. */
    public boolean isPositive() {
        return codeClass() == 2;
    }

    /** True when the reply is a multi-line one. */
    public boolean isMultiline() {
        return lines.size() > 1;
    }

    /** True when the parser saw a deviation of this kind. */
    public boolean has(Deviation.Kind kind) {
        return deviations.stream().anyMatch(d -> d.kind() == kind);
    }

    /** The text parts of every line, in order. */
    public List<String> texts() {
        return lines.stream().map(ReplyLine::text).collect(Collectors.toList());
    }

    /** The reply as received, lines joined by their own delimiters. */
    public String wire() {
        return lines.stream().map(l -> l.content() + l.delimiter()).collect(Collectors.joining());
    }

    /**
     * First line only, for one-line messages ("250-mx.example Hello" of a longer reply shows as
     * "250-mx.example Hello ... (3 lines)"), escaped as the transcript escapes it ({@link ReplyLine#shown()}).
     */
    public String summary() {
        String first = lines.get(0).shown();
        return lines.size() > 1 ? first + " ... (" + lines.size() + " lines)" : first;
    }
}
