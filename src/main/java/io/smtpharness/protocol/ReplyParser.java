package io.smtpharness.protocol;

import io.smtpharness.transcript.Escaping;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Assembles framed lines into replies, recording every departure from the RFC 5321 §4.2 grammar
 * as a {@link Deviation}. It never throws on server input. Not thread-safe: one per connection.
 *
 * <p>A line ends the reply unless it is a well-formed continuation ({@code code "-"}); a line with
 * no valid code therefore stands as a (malformed) reply of its own, so a hostile server cannot keep
 * a reply open with garbage.
 */
public final class ReplyParser {

    /** Longest reply line RFC 5321 §4.5.3.1.5 allows, CRLF included. */
    public static final int MAX_REPLY_LINE = 512;

    private final int maxLines;
    private final List<ReplyLine> lines = new ArrayList<>();
    private final List<Deviation> deviations = new ArrayList<>();

    /** @param maxLines hard cap on lines per reply; the reply is cut off there */
    public ReplyParser(int maxLines) {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines < 1: " + maxLines);
        }
        this.maxLines = maxLines;
    }

    /** Adds one line; returns the reply when this line completes it. */
    public Optional<Reply> accept(ReplyLine line) {
        int index = lines.size();
        lines.add(line);
        checkLine(line, index);
        // a continuation line cut at the client's line cap still announces more lines to come
        if (line.isContinuation() && (line.delimiter().length() > 0 || line.truncated())) {
            if (lines.size() >= maxLines) {
                deviations.add(new Deviation(Deviation.Kind.TOO_MANY_LINES, index,
                        "reply cut off after " + maxLines + " lines"));
                return Optional.of(complete());
            }
            return Optional.empty();
        }
        return Optional.of(complete());
    }

    /**
     * Ends the reply being read with {@code last}, because with it the reply has grown past the
     * client's octet cap ({@code octets}, counted by the caller with the skipped parts of over-long
     * lines): whether or not it would have ended, it is cut off there.
     */
    public Reply cutOff(ReplyLine last, long octets) {
        int index = lines.size();
        lines.add(last);
        checkLine(last, index);
        deviations.add(new Deviation(Deviation.Kind.TOO_MANY_LINES, index,
                "reply cut off after " + lines.size() + " lines and " + octets + " octets without an end"));
        return complete();
    }

    /** Ends a reply that the connection cut short (lines seen, but no final line). */
    public Optional<Reply> finishPartial() {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        deviations.add(new Deviation(Deviation.Kind.UNTERMINATED, lines.size() - 1,
                "connection ended before the reply's last line"));
        return Optional.of(complete());
    }

    /** True when some lines of an unfinished reply are buffered. */
    public boolean hasPartial() {
        return !lines.isEmpty();
    }

    private void checkLine(ReplyLine line, int index) {
        String code = line.code();
        if (code != null && (code.charAt(0) < '2' || code.charAt(0) > '5')) {
            deviations.add(new Deviation(Deviation.Kind.BAD_FIRST_DIGIT, index,
                    "code " + code + ": the first digit is outside 2-5"));
        } else if (code == null || !validCode(code)) {
            deviations.add(new Deviation(Deviation.Kind.BAD_CODE, index,
                    "'" + preview(line.content()) + "' does not start with a reply code 2-5, 0-5, 0-9"));
        } else if (line.content().length() == 3) {
            deviations.add(new Deviation(Deviation.Kind.CODE_WITHOUT_SP, index,
                    "code " + code + " with no SP after it"));
        } else if (line.separator() != ' ' && line.separator() != '-') {
            deviations.add(new Deviation(Deviation.Kind.BAD_SEPARATOR, index,
                    "code " + code + " followed by '" + preview(String.valueOf(line.separator())) + "', not SP or '-'"));
        }
        if (code != null && index > 0) {
            String first = lines.get(0).code();
            if (first != null && !first.equals(code)) {
                deviations.add(new Deviation(Deviation.Kind.MIXED_CODES, index,
                        "line " + (index + 1) + " has code " + code + " but the reply started with " + first));
            }
        }
        if (line.delimiter().equals("\n")) {
            deviations.add(new Deviation(Deviation.Kind.BARE_LF, index, "line ended by a bare LF, not CRLF"));
        } else if (line.delimiter().isEmpty() && !line.truncated()) {
            deviations.add(new Deviation(Deviation.Kind.UNTERMINATED, index, "line not ended by CRLF"));
        }
        if (line.content().indexOf('\r') >= 0) {
            deviations.add(new Deviation(Deviation.Kind.BARE_CR, index, "bare CR inside the line"));
        }
        if (line.truncated()) {
            deviations.add(new Deviation(Deviation.Kind.LINE_OVER_CAP, index,
                    "line longer than the client's cap; the rest was discarded"));
        } else if (line.wireLength() > MAX_REPLY_LINE) {
            deviations.add(new Deviation(Deviation.Kind.LINE_TOO_LONG, index,
                    line.wireLength() + " octets, over the 512 of RFC 5321 §4.5.3.1.5"));
        }
        if (hasNonText(line.text())) {
            deviations.add(new Deviation(Deviation.Kind.NON_ASCII_TEXT, index,
                    "text holds octets outside HT and 32-126"));
        }
    }

    private Reply complete() {
        Reply reply = new Reply(lines, deviations);
        lines.clear();
        deviations.clear();
        return reply;
    }

    private static boolean validCode(String code) {
        char first = code.charAt(0);
        char second = code.charAt(1);
        return first >= '2' && first <= '5' && second >= '0' && second <= '5';
    }

    private static boolean hasNonText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\t' && c != '\r' && (c < 32 || c > 126)) {
                return true;
            }
        }
        return false;
    }

    /** At most 40 octets of {@code s}, escaped as the transcript escapes them. */
    private static String preview(String s) {
        return Escaping.escapeOctets(s.length() > 40 ? s.substring(0, 40) : s) + (s.length() > 40 ? "..." : "");
    }
}
