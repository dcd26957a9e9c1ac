package io.smtpharness.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.dialogue.DialogueExecution.Contact;
import org.junit.jupiter.api.Test;

/** The breaker opens on silence and names the cases dropped just before it, whatever order threads report in. */
class CircuitBreakerTest {

    private static void silence(CircuitBreaker breaker, long at) {
        for (int i = 0; i < CircuitBreaker.THRESHOLD; i++) {
            breaker.record("s/silent-" + i, Contact.NO_GREETING, "connection refused", at + i, at + i);
        }
    }

    @Test
    void aCaseThatWasRunningWhenTheDropCameKeepsTheCrashEvidence() {
        CircuitBreaker breaker = new CircuitBreaker();
        breaker.record("s/crashing", Contact.LOST, "closed", 150, 200);
        breaker.record("s/earlier", Contact.GREETED, "", 100, 120); // its thread reported late
        breaker.record("s/alongside", Contact.GREETED, "", 140, 260); // got its 221 just before the crash
        silence(breaker, 300);

        assertThat(breaker.crashCases()).containsExactly("s/crashing");
        assertThat(breaker.reason()).get().asString().startsWith("the target stopped answering during case s/crashing");
    }

    @Test
    void aCaseServedNormallyAfterADropShowsTheDropWasNoCrash() {
        CircuitBreaker breaker = new CircuitBreaker();
        breaker.record("s/dropped", Contact.LOST, "closed", 50, 100);
        breaker.record("s/later", Contact.GREETED, "", 150, 200);
        silence(breaker, 300);

        assertThat(breaker.crashCases()).isEmpty();
        assertThat(breaker.reason()).get().asString().startsWith("the target stopped answering after case s/later");
    }

    @Test
    void greetingsKeepTheBreakerShut() {
        CircuitBreaker breaker = new CircuitBreaker();
        breaker.record("s/a", Contact.NO_GREETING, "refused", 1, 1);
        breaker.record("s/b", Contact.NO_GREETING, "refused", 2, 2);
        breaker.record("s/c", Contact.GREETED, "", 3, 3);
        breaker.record("s/d", Contact.NO_GREETING, "refused", 4, 4);

        assertThat(breaker.reason()).isEmpty();
    }
}
