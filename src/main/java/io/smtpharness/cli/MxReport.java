package io.smtpharness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smtpharness.dns.DnsFinding;
import io.smtpharness.dns.MxCandidate;
import io.smtpharness.dns.MxResult;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code mx} output: the candidate list, the host tried first and the DNS findings, as text or JSON. */
final class MxReport {

    private MxReport() {
    }

    static String status(MxResult result) {
        if (result instanceof MxResult.Candidates) {
            return "candidates";
        } else if (result instanceof MxResult.NullMx) {
            return "null-mx";
        } else if (result instanceof MxResult.NxDomain) {
            return "nxdomain";
        } else if (result instanceof MxResult.ServerFailure) {
            return "servfail";
        }
        return "no-address";
    }

    static List<MxCandidate> candidates(MxResult result) {
        if (result instanceof MxResult.Candidates c) {
            return c.candidates();
        }
        return result instanceof MxResult.NoAddress n ? n.candidates() : List.of();
    }

    /** {@code mx1.example.test:25 (MX 10 of example.test)}: the target string of a run. */
    static String describe(MxCandidate candidate, String domain, int port) {
        return candidate.host() + ":" + port + " (" + candidate.howFound(domain) + ")";
    }

    static String text(MxResult result, String resolver, long seed, int port) {
        StringBuilder out = new StringBuilder();
        out.append("MX for ").append(result.domain()).append(" (").append(resolver).append(", seed ").append(seed)
                .append(")\n");
        List<MxCandidate> candidates = candidates(result);
        if (!candidates.isEmpty()) {
            int width = candidates.stream().mapToInt(c -> c.host().length()).max().orElse(4);
            out.append(String.format("  %-5s %-" + width + "s  %s%n", "pref", "host", "addresses"));
            for (MxCandidate c : candidates) {
                out.append(String.format("  %-5s %-" + width + "s  %s%n", c.implicit() ? "-" : c.preference(), c.host(),
                        c.addresses().isEmpty() ? "(none)" : addresses(c)));
            }
        }
        if (result instanceof MxResult.Candidates c) {
            MxCandidate first = c.candidates().stream().filter(x -> !x.addresses().isEmpty()).findFirst().orElseThrow();
            out.append("first tried: ").append(describe(first, result.domain(), port)).append('\n');
        } // otherwise the command fails with result.message() on stderr
        for (DnsFinding f : result.findings()) {
            out.append("warning: ").append(f).append('\n');
        }
        return out.toString();
    }

    static String json(MxResult result, String resolver, long seed, int port) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("domain", result.domain());
        json.put("resolver", resolver);
        json.put("seed", seed);
        json.put("status", status(result));
        json.put("message", result.message());
        json.put("candidates", candidates(result).stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("preference", c.preference());
            m.put("host", c.host());
            m.put("addresses", c.addresses().stream().map(MxReport::format).toList());
            m.put("implicit", c.implicit());
            return m;
        }).toList());
        json.put("firstTried", result instanceof MxResult.Candidates c
                ? c.candidates().stream().filter(x -> !x.addresses().isEmpty()).findFirst()
                        .map(x -> describe(x, result.domain(), port)).orElse(null)
                : null);
        json.put("findings", result.findings().stream()
                .map(f -> Map.of("reference", f.reference(), "message", f.message())).toList());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An address as people write it: IPv6 with the longest run of zero groups as {@code ::} (RFC 5952). */
    static String format(InetAddress address) {
        String full = address.getHostAddress();
        if (!(address instanceof java.net.Inet6Address) || full.contains("%")) {
            return full;
        }
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static String addresses(MxCandidate c) {
        return c.addresses().stream().map(MxReport::format).collect(Collectors.joining(", "));
    }
}
