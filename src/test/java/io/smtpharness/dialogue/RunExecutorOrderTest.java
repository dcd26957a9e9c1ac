package io.smtpharness.dialogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order cases start in; results keep the dialogues' own order (the end-to-end runs show that). */
class RunExecutorOrderTest {

    private static Dialogue talking() {
        return new Script("5321-4.1.1.9-NOOP").send("NOOP", "250").build();
    }

    private static Dialogue listening() {
        return new Script("5321-2.3.8-CRLF-ONLY").raw("NOOP").none(Duration.ofSeconds(1)).build();
    }

    /** A command pipelined behind STARTTLS, whose reply inside TLS is listened for. */
    private static Dialogue injecting() {
        return new Script("3207-4.2-NO-INJECTION").send("EHLO client.test", "250")
                .step(new Step.StartTls(Optional.of("NOOP\r\n"), "test")).build();
    }

    @Test
    void casesThatListenForSilenceStartAfterTheOthersEachInTheirOrder() {
        List<Dialogue> dialogues = List.of(listening(), talking(), injecting(), talking(), talking());

        assertThat(RunExecutor.startOrder(dialogues)).containsExactly(1, 3, 4, 0, 2);
    }
}
