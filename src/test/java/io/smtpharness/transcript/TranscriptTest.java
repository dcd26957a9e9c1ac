package io.smtpharness.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A transcript keeps its head and its tail whatever a server sends, and says what it left out. */
class TranscriptTest {

    @Test
    void aFloodKeepsTheHeadAndTheTailAndCountsWhatWasLeftOut() {
        Transcript transcript = new Transcript();
        transcript.note("connecting");
        int lines = 200_000;
        for (int i = 0; i < lines; i++) {
            transcript.server("250-line " + i + "\r\n");
        }
        transcript.note("closed by the harness");

        List<TranscriptEvent> events = transcript.events();
        long chars = events.stream().mapToLong(e -> e.text().length()).sum();
        assertThat(chars).as("characters kept").isLessThanOrEqualTo(Transcript.HEAD_CHARS + Transcript.TAIL_CHARS + 200);
        assertThat(events.size()).isLessThanOrEqualTo(Transcript.HEAD_EVENTS + Transcript.TAIL_EVENTS + 1);
        assertThat(events.get(0).text()).isEqualTo("connecting");
        assertThat(events.get(1).text()).isEqualTo("250-line 0\\r\\n");
        assertThat(events.get(events.size() - 1).text()).isEqualTo("closed by the harness");
        assertThat(events.get(events.size() - 2).text()).isEqualTo("250-line " + (lines - 1) + "\\r\\n");
        TranscriptEvent note = events.stream().filter(e -> e.text().contains("left out here")).findFirst().orElseThrow();
        long kept = events.stream().filter(e -> e.text().startsWith("250-line")).count();
        assertThat(note.text()).startsWith((lines - kept) + " events (");
        assertThat(transcript.cut()).isTrue();
    }

    @Test
    void anOrdinaryDialogueIsKeptWhole() {
        Transcript transcript = new Transcript();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            transcript.client(("NOOP " + i + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sent.add("NOOP " + i + "\\r\\n");
        }
        assertThat(transcript.events()).extracting(TranscriptEvent::text).containsExactlyElementsOf(sent);
        assertThat(transcript.cut()).isFalse();
    }

    @Test
    void onceTheRunsBudgetIsSpentLaterTranscriptsKeepBothEnds() {
        TranscriptBudget budget = new TranscriptBudget(100_000);
        List<TranscriptEvent> big = new ArrayList<>();
        for (int i = 0; i < 900; i++) { // 90 000 characters: the first fits, the second does not
            big.add(new TranscriptEvent(i, Direction.S, "250-" + "x".repeat(96)));
        }
        assertThat(budget.admit(big)).as("within the budget: whole").isSameAs(big);
        List<TranscriptEvent> trimmed = budget.admit(big);
        assertThat(trimmed.size()).isLessThan(big.size());
        assertThat(trimmed.stream().mapToLong(e -> e.text().length()).sum())
                .isLessThanOrEqualTo(2L * TranscriptBudget.TRIMMED_END_CHARS + 300);
        assertThat(trimmed).anyMatch(e -> e.text().contains("left out here: the run's transcripts passed 100000"));
        assertThat(trimmed.get(0)).isEqualTo(big.get(0));
        assertThat(trimmed.get(trimmed.size() - 1)).isEqualTo(big.get(big.size() - 1));
    }
}
