package io.smtpharness.cli;

import io.smtpharness.client.TargetUnreachableException;
import io.smtpharness.dns.MxResolver;
import io.smtpharness.dns.MxResult;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mx DOMAIN}: how the target would be chosen from DNS (RFC 5321 §5.1, RFC 7505). */
@Command(name = "mx", mixinStandardHelpOptions = true,
        description = "Show the MX candidates of DOMAIN in the order an MTA would try them, and DNS-side warnings.")
final class MxCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DOMAIN", description = "The mail domain.")
    private String domain;

    @Mixin
    private DnsOptions dns;

    @Option(names = "--json", description = "Print JSON instead of text.")
    private boolean json;

    @Override
    public Integer call() throws TargetUnreachableException {
        MxResolver resolver = dns.resolver();
        MxResult result;
        try {
            result = resolver.resolve(domain, dns.seed());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        spec.commandLine().getOut().print(json ? MxReport.json(result, resolver.description(), dns.seed(), dns.port())
                : MxReport.text(result, resolver.description(), dns.seed(), dns.port()));
        spec.commandLine().getOut().flush();
        if (!(result instanceof MxResult.Candidates)) {
            throw new TargetUnreachableException(result.message(), null);
        }
        return ExitCodes.OK;
    }
}
