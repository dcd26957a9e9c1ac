package io.smtpharness.dialogue;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one run has learned about its server that costs time to see: it keeps the connection open
 * after 221, or leaves some command unanswered. The first case to see it waits in full; the later
 * cases of the run do not wait again for what is already known. And how promptly it answers
 * ({@link ReplyPace}), which sets how long a case listens for a reply that may not come. Shared by
 * the cases of one run; thread-safe.
 */
public final class ServerTraits {

    private volatile String keptOpenAfterQuit;
    private final Map<String, String> unanswered = new ConcurrentHashMap<>();
    private final ReplyPace replyPace = new ReplyPace();

    ReplyPace replyPace() {
        return replyPace;
    }

    /** The case in which the server was first seen not to close after 221 to QUIT, if any. */
    public Optional<String> keptOpenAfterQuit() {
        return Optional.ofNullable(keptOpenAfterQuit);
    }

    void keptOpenAfterQuit(String caseId) {
        if (keptOpenAfterQuit == null) {
            keptOpenAfterQuit = caseId;
        }
    }

    /** The case in which a command with this verb first went unanswered for a full deadline, if any. */
    public Optional<String> leftUnanswered(String verb) {
        return Optional.ofNullable(unanswered.get(verb.toUpperCase(Locale.ROOT)));
    }

    void leftUnanswered(String verb, String caseId) {
        unanswered.putIfAbsent(verb.toUpperCase(Locale.ROOT), caseId);
    }
}
