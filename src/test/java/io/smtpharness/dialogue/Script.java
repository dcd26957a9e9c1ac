package io.smtpharness.dialogue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A tiny builder of test dialogues, so each test reads like its dialogue. */
final class Script {
    private final List<Step> steps = new ArrayList<>();
    private final List<String> rules;
    private List<String> requires = List.of();

    Script(String... rules) {
        this.rules = List.of(rules);
    }

    Script send(String line, String... expected) {
        steps.add(new Step.Send(line, "test"));
        steps.add(new Step.Expect(expected.length == 0 ? ReplyMatcher.ANY : ReplyMatcher.of(expected),
                Optional.empty(), "test"));
        return this;
    }

    Script raw(String text) {
        steps.add(new Step.SendRaw(text, "test"));
        return this;
    }

    Script expect(String... expected) {
        steps.add(new Step.Expect(ReplyMatcher.of(expected), Optional.empty(), "test"));
        return this;
    }

    Script none(Duration within) {
        steps.add(new Step.ExpectNoReply(within, Optional.empty(), "test"));
        return this;
    }

    Script data(String content, String... expected) {
        steps.add(new Step.SendData(content, "test"));
        steps.add(new Step.Expect(ReplyMatcher.of(expected), Optional.empty(), "test"));
        return this;
    }

    Script requires(String... keywords) {
        requires = List.of(keywords);
        return this;
    }

    /** Any other step, as it is. */
    Script step(Step step) {
        steps.add(step);
        return this;
    }

    Dialogue build() {
        return new Dialogue("test", "case", "a test case", rules, List.of(), Optional.empty(), requires, steps, "test");
    }
}
