package io.smtpharness.rules;

import io.smtpharness.result.Finding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every oracle that applies to every reply of every dialogue, plus the judgement of a connection
 * that ends (RFC 5321 §3.8: a server closes only after 221, 421 or a timeout).
 */
public final class Oracles {

    private static final List<Oracle> STANDARD = List.of(new ReplySyntax(), new ReplyText(), new ReplyTable(),
            new EhloReply(), new StateTable(), new ExtensionKeywords(), new GreetingName(), new EnhancedCodes(),
            new ExtensionParameters(), new StartTlsRules(), new AuthRules());
    private static final ConnectionClose CLOSE = new ConnectionClose();

    private Oracles() {
    }

    /**
     * All findings the standard oracles make about one reply. A 500 to a command line over 512
     * octets is the reply RFC 5321 asks for ("500 Line too long", §4.5.3.1.9; §4.2.2: 500 "may
     * include errors such as command line too long"), whatever the command and state: only the
     * oracles that judge the reply's form see it.
     */
    public static List<Finding> judge(Exchange exchange) {
        List<Finding> out = new ArrayList<>();
        boolean lineTooLong = exchange.refusesOverlongLine();
        for (Oracle oracle : STANDARD) {
            if (!lineTooLong || !oracle.judgesCodeChoice()) {
                oracle.judge(exchange, out);
            }
        }
        return out;
    }

    /**
     * Judges the server closing the connection while the session was in {@code model}, with
     * {@code unanswered} the command it left without a reply, if any.
     */
    public static List<Finding> judgeClose(SessionModel model, Optional<Sent> unanswered) {
        return CLOSE.judge(model, unanswered);
    }

    /** The standard oracles, in the order they judge. */
    public static List<Oracle> standard() {
        return STANDARD;
    }

    /**
     * The rule IDs each judge declares, keyed by its class's simple name (the reply oracles in
     * order, then {@code ConnectionClose} and {@code SessionEvents}).
     */
    public static Map<String, Set<String>> coverage() {
        Map<String, Set<String>> coverage = new LinkedHashMap<>();
        for (Oracle oracle : STANDARD) {
            coverage.put(oracle.getClass().getSimpleName(), oracle.covers());
        }
        coverage.put(ConnectionClose.class.getSimpleName(), CLOSE.covers());
        coverage.put(SessionEvents.class.getSimpleName(), SessionEvents.covers());
        return Collections.unmodifiableMap(coverage);
    }

    /** Every rule ID any oracle or the close judgement can cite, sorted. */
    public static Set<String> coveredRules() {
        Set<String> all = new TreeSet<>();
        coverage().values().forEach(all::addAll);
        return Collections.unmodifiableSet(all);
    }
}
