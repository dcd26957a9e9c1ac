package io.smtpharness.dialogue;

import io.smtpharness.rules.Level;
import io.smtpharness.rules.Scope;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One case: a named sequence of steps run on a fresh connection, after the greeting.
 *
 * @param suite  the suite it belongs to
 * @param id     unique within the suite
 * @param title  one line for humans
 * @param rules  rule IDs the case checks; the first is the default for its expect steps
 * @param tags   free tags for {@code --tags} selection
 * @param level  optional override of what a script mismatch costs ({@code MUST} → failed,
 *               {@code SHOULD} → warning); empty: the level of the rule cited
 * @param requires EHLO keywords (upper case) the server must advertise for the case to apply; when
 *               the first EHLO reply lacks one, the case ends {@code skipped}
 * @param unless EHLO keywords (upper case) whose presence makes the case not apply: an extension
 *               that changes what the RFC asks of the command under test (SMTPUTF8 for a non-ASCII
 *               VRFY, say); when the first EHLO reply lists one, the case ends {@code skipped}
 * @param steps  what to do after the greeting
 * @param origin {@code file:line} of the case, or a description for generated dialogues
 */
public record Dialogue(String suite, String id, String title, List<String> rules, List<String> tags,
                       Optional<String> level, List<String> requires, List<String> unless, List<Step> steps,
                       String origin) {

    public Dialogue {
        Objects.requireNonNull(suite, "suite == null");
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(title, "title == null");
        rules = List.copyOf(rules);
        tags = List.copyOf(tags);
        Objects.requireNonNull(level, "level == null");
        requires = List.copyOf(requires);
        unless = List.copyOf(unless);
        steps = List.copyOf(steps);
        Objects.requireNonNull(origin, "origin == null");
    }

    /** A case that applies whatever else the server offers. */
    public Dialogue(String suite, String id, String title, List<String> rules, List<String> tags,
                    Optional<String> level, List<String> requires, List<Step> steps, String origin) {
        this(suite, id, title, rules, tags, level, requires, List.of(), steps, origin);
    }

    /**
     * What the case is about, for its {@link io.smtpharness.rules.Judge}: the rules it cites, the
     * rules its steps cite, its level; a finding on any other rule is incidental to it.
     */
    public Scope scope() {
        Set<String> cited = new HashSet<>();
        steps.forEach(step -> citedRule(step).ifPresent(cited::add));
        return new Scope(rules, cited, level.map(Level::parse));
    }

    private static Optional<String> citedRule(Step step) {
        if (step instanceof Step.Expect e) {
            return e.ruleId();
        } else if (step instanceof Step.ExpectNoReply n) {
            return n.ruleId();
        } else if (step instanceof Step.ExpectClose c) {
            return c.ruleId();
        } else if (step instanceof Step.Concurrent c) {
            return c.ruleId();
        } else if (step instanceof Step.Auth a) {
            return a.ruleId();
        }
        return Optional.empty();
    }

    /** True when running it may complete a message delivery (it sends message content). */
    public boolean deliversMessage() {
        return steps.stream().anyMatch(s -> s instanceof Step.SendData
                || s instanceof Step.SendRaw && ((Step.SendRaw) s).text().contains("\r\n.\r\n"));
    }
}
