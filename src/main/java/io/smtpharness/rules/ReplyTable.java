package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import io.smtpharness.result.Severity;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command → allowed reply codes table of RFC 5321 §4.3.2 (RFC-RULES.md §1.15), as an oracle.
 * A code in the command's row (or 500, 501, 421, which any command may get) passes; another code
 * of a class the row uses is a warning (§4.3.1, SHOULD); a class the row never uses fails, citing
 * the row (a 3yz outside DATA cites §4.2.1). RSET, NOOP and QUIT have one right answer each, so
 * {@link StateTable} alone judges them. The greeting answers no command, so the "any command"
 * codes do not apply to it: anything but 220, 554 or 421 fails 5321-3.1-GREETING.
 */
public final class ReplyTable implements Oracle {

    private static final String INTERMEDIATE_3YZ = "5321-4.2.1-3YZ-INTERMEDIATE";
    private static final String TABLE = "5321-4.3.1-TABLE";
    private static final String LISTED_CODES = "5321-4.2-LISTED-CODES";
    private static final String GREETING = "5321-3.1-GREETING";
    /**
     * §3.1: 220, or 554 "instead of the 220"; §3.8: 421 when the service shuts down. §4.3.2 lists
     * "CONNECTION ESTABLISHMENT S: 220 E: 554", and §4.2's Greeting grammar has 220 only.
     */
    private static final Set<Integer> GREETING_CODES = Set.of(220, 554, 421);
    /**
     * The codes RFC 5321 §4.2.2/§4.2.3 defines, plus those of the extensions in RFC-RULES.md
     * (STARTTLS, AUTH, ETRN, null MX); anything else is a code a client cannot be expected to know.
     */
    private static final Set<Integer> DEFINED_CODES = Set.of(211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451,
            452, 455, 500, 501, 502, 503, 504, 550, 551, 552, 553, 554, 555,
            235, 334, 432, 454, 530, 534, 535, 538, 556, 253, 458, 459);
    private static final Set<Integer> ANY_COMMAND = Set.of(500, 501, 421);
    private static final Map<CommandKind, Row> ROWS = new EnumMap<>(CommandKind.class);
    private static final Set<String> COVERS;

    static {
        row(CommandKind.EHLO, "5321-4.3.2-EHLO-CODES", 250, 504, 550, 502);
        row(CommandKind.HELO, "5321-4.3.2-EHLO-CODES", 250, 504, 550, 502);
        row(CommandKind.MAIL, "5321-4.3.2-MAIL-CODES", 250, 552, 451, 452, 550, 553, 503, 455, 555);
        row(CommandKind.RCPT, "5321-4.3.2-RCPT-CODES", 250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455, 555);
        // 451/452: RFC 5321 §4.3.2 lists them for DATA, and §1.16 allows them in state RCPT
        row(CommandKind.DATA, "5321-4.3.2-DATA-CODES", 354, 503, 554, 451, 452);
        row(CommandKind.END_OF_DATA, "5321-4.3.2-EOD-CODES", 250, 552, 554, 451, 452, 450, 550);
        row(CommandKind.VRFY, "5321-4.3.2-VRFY-CODES", 250, 251, 252, 550, 551, 553, 502, 504);
        row(CommandKind.EXPN, "5321-4.3.2-EXPN-CODES", 250, 252, 550, 500, 502, 504);
        row(CommandKind.HELP, "5321-4.3.2-HELP-CODES", 211, 214, 502, 504);
        Set<String> covers = new TreeSet<>(Set.of(INTERMEDIATE_3YZ, TABLE, LISTED_CODES, GREETING));
        ROWS.values().forEach(r -> covers.add(r.ruleId()));
        COVERS = Collections.unmodifiableSet(covers);
    }

    private record Row(String ruleId, Set<Integer> codes) {
        boolean hasClass(int codeClass) {
            return codes.stream().anyMatch(c -> c / 100 == codeClass);
        }
    }

    private static void row(CommandKind kind, String ruleId, Integer... codes) {
        ROWS.put(kind, new Row(ruleId, Set.of(codes)));
    }

    /** The codes the table lists for {@code kind} (empty for extension and unknown verbs and the greeting). */
    public static Set<Integer> codesFor(CommandKind kind) {
        Row row = ROWS.get(kind);
        return row == null ? Set.of() : row.codes();
    }

    /** The rule of {@code kind}'s §4.3.2 row, e.g. {@code 5321-4.3.2-HELP-CODES}; empty when it has none. */
    static Optional<String> rowOf(CommandKind kind) {
        return Optional.ofNullable(ROWS.get(kind)).map(Row::ruleId);
    }

    /** True when this table judges replies under {@code ruleId}. */
    static boolean judges(String ruleId) {
        return COVERS.contains(ruleId);
    }

    /** The rules above and the §4.3.2 row of every command in the table. */
    @Override
    public Set<String> covers() {
        return COVERS;
    }

    @Override
    public void judge(Exchange exchange, List<Finding> out) {
        if (exchange.sent().isEmpty()) {
            return;
        }
        CommandKind kind = exchange.sent().get().kind();
        int code = exchange.reply().code();
        if (code >= 200 && code < 600 && !DEFINED_CODES.contains(code)) {
            out.add(Judge.breach(LISTED_CODES,
                    exchange.describe() + ": " + code + " is not a code RFC 5321 or a known extension defines"));
        }
        if (kind == CommandKind.GREETING) {
            if (code >= 0 && !GREETING_CODES.contains(code)) {
                out.add(Judge.breach(GREETING, exchange.describe() + ": a connection is greeted"
                        + " with 220, or 554 (no service), or 421 (shutting down): §3.1, §4.3.2"));
            }
            return;
        }
        if (code / 100 == 3 && kind != CommandKind.DATA && kind != CommandKind.EXTENSION) {
            out.add(Judge.breach(INTERMEDIATE_3YZ,
                    exchange.describe() + ": 3yz means 'send more', which this command has no use for"));
            return;
        }
        Row row = ROWS.get(kind);
        if (row == null || code < 0 || row.codes().contains(code) || ANY_COMMAND.contains(code)) {
            return;
        }
        if (row.hasClass(code / 100)) {
            out.add(Judge.breach(TABLE,
                    exchange.describe() + ": " + code + " is not among " + sorted(row) + " (§4.3.2)"));
        } else {
            out.add(new Finding(row.ruleId(), Severity.FAILED,
                    exchange.describe() + ": a " + code / 100 + "yz reply is never one of " + sorted(row)));
        }
    }

    private static String sorted(Row row) {
        return row.codes().stream().sorted().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("");
    }
}
