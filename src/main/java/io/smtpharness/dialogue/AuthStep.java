package io.smtpharness.dialogue;

import io.smtpharness.protocol.Reply;
import io.smtpharness.protocol.Sasl;
import io.smtpharness.rules.Sent;
import io.smtpharness.rules.SessionEvent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One AUTH exchange (RFC 4954 §4) with the run's credentials: the command (PLAIN with its initial
 * response), each 334 answered as the mechanism says (LOGIN, CRAM-MD5), the final reply matched.
 */
final class AuthStep {

    /** Appended to the password by {@code auth} steps with {@code password: wrong}. */
    private static final String WRONG_PASSWORD_SUFFIX = "-wrong-7f3c";

    private AuthStep() {
    }

    /**
     * Every form of the account's secrets an auth step may send (the password, right and wrong, and
     * their base64 and PLAIN forms): registered with the transcript first, so none can appear in it.
     */
    static List<String> secrets(AuthCredentials account) {
        return List.of(account.password(), account.password() + WRONG_PASSWORD_SUFFIX).stream()
                .flatMap(password -> List.of(password, Sasl.base64(password), Sasl.plain(account.user(), password))
                        .stream())
                .toList();
    }

    /** Performs {@code step}; true when the case turned out not to apply and the session should end. */
    static boolean perform(Step.Auth step, Conversation conv, Optional<AuthCredentials> credentials) {
        if (credentials.isEmpty()) {
            conv.notApplicable("no AUTH credentials were given (--auth-user with SMTP_HARNESS_AUTH_PASSWORD or"
                    + " --auth-password-file)");
            return true;
        }
        String mechanism = step.mechanism().toUpperCase(Locale.ROOT);
        List<String> offered = conv.tracker().authMechanisms();
        if (!offered.contains(mechanism)) {
            conv.notApplicable("the server does not offer AUTH " + mechanism + " (offered: "
                    + (offered.isEmpty() ? "none" : String.join(" ", offered)) + ")");
            return true;
        }
        AuthCredentials account = credentials.get();
        String user = account.user();
        String password = step.wrongPassword() ? account.password() + WRONG_PASSWORD_SUFFIX : account.password();
        String command = "AUTH " + step.mechanism();
        Sent owed = Sent.ofLine(command);
        Reply reply;
        switch (mechanism) {
            case "PLAIN":
                reply = conv.sendAuth(command + " " + Sasl.plain(user, password), owed, step.origin());
                break;
            case "LOGIN":
                reply = conv.sendAuth(command, owed, step.origin());
                if (reply != null && reply.code() == 334) {
                    reply = conv.sendAuth(Sasl.base64(user), Sent.AUTH_RESPONSE, step.origin());
                }
                if (reply != null && reply.code() == 334) {
                    reply = conv.sendAuth(Sasl.base64(password), Sent.AUTH_RESPONSE, step.origin());
                }
                break;
            default: // CRAM-MD5 (RFC 2195)
                reply = conv.sendAuth(command, owed, step.origin());
                if (reply != null && reply.code() == 334) {
                    String challenge = Sasl.decodeLenient(reply.lines().get(0).text());
                    reply = conv.sendAuth(Sasl.cramMd5(user, password, challenge), Sent.AUTH_RESPONSE, step.origin());
                }
        }
        if (reply != null && !step.matcher().matches(reply.code())) {
            conv.report(new SessionEvent.Mismatch(conv.ruleFor(step.ruleId()), "expected " + step.matcher()
                    + " at the end of AUTH " + mechanism + " (" + step.origin() + "), got \"" + reply.summary() + "\""));
        }
        return false;
    }
}
