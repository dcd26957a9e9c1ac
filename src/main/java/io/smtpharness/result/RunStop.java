package io.smtpharness.result;

import java.util.List;
import java.util.Objects;

/**
 * Why a run stopped short, and the cases it did not run: the target failed the pre-flight check,
 * stopped answering mid-run, or the run was interrupted.
 *
 * @param kind   which of those
 * @param reason one line, e.g. "the target sent no greeting within 5000 ms"
 * @param notRun the cases that got no verdict, in the order they were planned
 */
public record RunStop(Kind kind, String reason, List<PlannedCase> notRun) {

    /** How a run stopped short. */
    public enum Kind {
        /** The pre-flight connection found no SMTP server: no case ran. */
        PREFLIGHT,
        /** The target stopped answering mid-run: the cases after that ended {@code error} without trying. */
        TARGET_LOST,
        /** SIGTERM or Ctrl-C: the cases that had not finished are listed as not run. */
        INTERRUPTED
    }

    public RunStop {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(reason, "reason == null");
        notRun = List.copyOf(notRun);
    }

    /** False when some planned case has no verdict at all. */
    public boolean everyCaseJudged() {
        return notRun.isEmpty();
    }

    /** The cases of {@code planned} that are not in {@code done}, in planned order. */
    public static List<PlannedCase> notRun(List<PlannedCase> planned, List<CaseResult> done) {
        java.util.Set<String> finished = new java.util.HashSet<>();
        done.forEach(c -> finished.add(c.qualifiedId()));
        return planned.stream().filter(p -> !finished.contains(p.qualifiedId())).toList();
    }

    /** A case that was planned for the run: enough to list it as not run. */
    public record PlannedCase(String suite, String id, String title, List<String> rules) {

        public PlannedCase {
            Objects.requireNonNull(suite, "suite == null");
            Objects.requireNonNull(id, "id == null");
            Objects.requireNonNull(title, "title == null");
            rules = List.copyOf(rules);
        }

        /** {@code suite/id}, as {@link CaseResult#qualifiedId()}. */
        public String qualifiedId() {
            return suite + "/" + id;
        }
    }
}
