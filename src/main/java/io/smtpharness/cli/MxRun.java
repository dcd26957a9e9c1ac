package io.smtpharness.cli;

import io.smtpharness.client.SmtpClient;
import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dns.DnsCases;
import io.smtpharness.dns.MxResolver;
import io.smtpharness.dns.MxResult;
import io.smtpharness.dns.ReverseDns;
import io.smtpharness.result.CaseResult;
import io.smtpharness.result.RunListener;
import io.smtpharness.result.RunStop;
import io.smtpharness.result.RunSummary;
import io.smtpharness.service.RunService;
import io.smtpharness.service.TargetPolicy;
import io.smtpharness.transcript.Direction;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code run --domain}: find the target as an MTA does, run the dialogues against the first
 * reachable MX host (or each, with {@code --all-mx}), and report the DNS side as cases of its own.
 */
final class MxRun {

    private final String domain;
    private final boolean allMx;
    private final DnsOptions dns;
    private final PrintWriter err;

    MxRun(String domain, boolean allMx, DnsOptions dns, PrintWriter err) {
        this.domain = domain;
        this.allMx = allMx;
        this.dns = dns;
        this.err = err;
    }

    /**
     * --domain: the first reachable MX host (or, with --all-mx, each of them, its cases under
     * {@code suite@host}), preceded by the DNS cases.
     */
    RunSummary run(RunService service, List<Dialogue> dialogues, List<RunListener> listeners)
            throws TargetUnreachableException {
        SmtpClient client = service.client();
        MxResolver resolver = dns.resolver();
        MxResult result = lookUp(resolver);
        List<MxTargets.Chosen> targets = allMx ? MxTargets.allReachable(result, dns.port(), client, err)
                : List.of(MxTargets.firstReachable(result, dns.port(), client, err));
        List<ReverseDns> reverse = new ArrayList<>();
        List<CaseResult> smtpCases = new ArrayList<>();
        RunSummary last = null;
        Optional<RunStop> stop = Optional.empty();
        for (MxTargets.Chosen chosen : targets) {
            RunService.Destination destination = service.guarded(chosen.address(), chosen.description(),
                    TargetPolicy.Traffic.SCRIPTED);
            reverse.add(resolver.reverseDns(chosen.address().getAddress()));
            last = service.runCases(dialogues, destination, listeners, Version.value());
            if (stop.isEmpty()) {
                stop = last.stop(); // the first host that stopped answering is the run's story
            }
            String host = "@" + chosen.description().split(" ", 2)[0]; // "mx1.example.test:25"
            for (CaseResult c : last.cases()) {
                smtpCases.add(targets.size() == 1 ? c : new CaseResult(c.suite() + host, c.id(), c.title(), c.rules(),
                        c.tags(), c.status(), c.message(), c.findings(), c.durationMs(), c.transcript(), c.startedAt()));
            }
        }
        List<CaseResult> cases = new ArrayList<>(DnsCases.of(targets.get(0).lookup(), reverse));
        greetingName(last).ifPresent(name -> cases.add(DnsCases.greetingName(name, resolver.addressesOf(name))));
        cases.addAll(smtpCases);
        String target = targets.stream().map(MxTargets.Chosen::description).collect(Collectors.joining(", "));
        return new RunSummary(last.tool(), last.version(), target, last.startedAt(), last.durationMs(), cases,
                stop);
    }

    /** The first word after "220" in the first greeting a case got. */
    private static Optional<String> greetingName(RunSummary summary) {
        return summary.cases().stream().flatMap(c -> c.transcript().stream())
                .filter(e -> e.direction() == Direction.S && e.text().startsWith("220"))
                .map(e -> e.text().substring(3).replaceFirst("^[ -]", "").split("[ \\\\]", 2)[0])
                .filter(name -> !name.isEmpty()).findFirst();
    }

    /** The MX lookup of --domain, announced with the resolver and seed so it can be repeated. */
    private MxResult lookUp(MxResolver resolver) {
        MxResult result;
        try {
            result = resolver.resolve(domain, dns.seed());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--domain: " + e.getMessage());
        }
        err.println("MX of " + domain + " via " + resolver.description() + " (seed " + dns.seed() + ")");
        return result;
    }

}
