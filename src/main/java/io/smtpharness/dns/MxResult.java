package io.smtpharness.dns;

import java.util.List;

/** What DNS says about where mail for a domain goes. */
public sealed interface MxResult {

    /** The domain asked about. */
    String domain();

    /** One line for the user. */
    String message();

    /** DNS-side warnings, in the order found. */
    default List<DnsFinding> findings() {
        return List.of();
    }

    /** Hosts to try, first one first; at least one of them has an address. */
    record Candidates(String domain, List<MxCandidate> candidates, List<DnsFinding> findings) implements MxResult {
        public Candidates {
            candidates = List.copyOf(candidates);
            findings = List.copyOf(findings);
        }

        @Override
        public String message() {
            MxCandidate first = candidates.get(0);
            return "first tried: " + first.host() + " (" + first.howFound(domain) + ")";
        }
    }

    /** A single {@code MX 0 .}: the domain accepts no mail (RFC 7505). */
    record NullMx(String domain) implements MxResult {
        @Override
        public String message() {
            return domain + " has a null MX (RFC 7505): the domain accepts no mail";
        }
    }

    /** The name does not exist (NXDOMAIN). */
    record NxDomain(String domain) implements MxResult {
        @Override
        public String message() {
            return domain + " does not exist (NXDOMAIN)";
        }
    }

    /** The resolver failed: SERVFAIL, REFUSED, a timeout, a network error. Not an answer about the domain. */
    record ServerFailure(String domain, String reason) implements MxResult {
        @Override
        public String message() {
            return "DNS lookup for " + domain + " failed (" + reason + "): SERVFAIL or no answer, not NXDOMAIN";
        }
    }

    /** The domain exists but no host to try has an address (MX hosts without A/AAAA, or no MX and no A/AAAA). */
    record NoAddress(String domain, List<MxCandidate> candidates, List<DnsFinding> findings) implements MxResult {
        public NoAddress {
            candidates = List.copyOf(candidates);
            findings = List.copyOf(findings);
        }

        @Override
        public String message() {
            return candidates.isEmpty() || candidates.get(0).implicit()
                    ? domain + " has no MX and no A/AAAA record: no address to deliver to"
                    : domain + ": none of its " + candidates.size() + " MX host(s) has an A/AAAA record";
        }
    }
}
