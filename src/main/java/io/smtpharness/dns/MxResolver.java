package io.smtpharness.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Resolves a domain to the hosts an MTA would try, as RFC 5321 §5.1 prescribes: MX first, sorted by
 * preference, equal preferences shuffled (seeded, so a run is reproducible), CNAMEs followed; no MX
 * means an implicit MX from the domain's A/AAAA; an MX present means never falling back to the bare
 * name; a single {@code MX 0 .} is a null MX (RFC 7505).
 *
 * <p>Every query has a deadline ({@code timeout} per try, {@code retries} tries), so a dead or silent
 * resolver is a {@link MxResult.ServerFailure}, never a hang. One cache per resolver instance.
 */
public final class MxResolver {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\[?\\d{1,3}(\\.\\d{1,3}){3}]?");
    private static final String REF_ALIAS = "RFC 5321 §5.1, RFC 2181 §10.3";
    private static final String REF_LITERAL = "RFC 5321 §5.1";

    private final Resolver resolver;
    private final Cache cache = new Cache(DClass.IN);
    private final String description;

    private MxResolver(Resolver resolver, String description) {
        this.resolver = resolver;
        this.description = description;
    }

    /** A resolver that asks only {@code server}. */
    public static MxResolver using(InetSocketAddress server, Duration timeout, int retries) {
        SimpleResolver simple = new SimpleResolver(server);
        simple.setTimeout(timeout);
        return new MxResolver(withRetries(new ExtendedResolver(new Resolver[] {simple}), timeout, retries),
                server.getAddress().getHostAddress() + ":" + server.getPort());
    }

    /** The system's resolvers (resolv.conf or the platform's equivalent). */
    public static MxResolver system(Duration timeout, int retries) {
        return new MxResolver(withRetries(new ExtendedResolver(), timeout, retries), "system resolver");
    }

    private static Resolver withRetries(ExtendedResolver resolver, Duration timeout, int retries) {
        if (retries < 1) {
            throw new IllegalArgumentException("retries must be at least 1, not " + retries);
        }
        resolver.setTimeout(timeout);
        resolver.setRetries(retries);
        resolver.setLoadBalance(false);
        return resolver;
    }

    /** Which resolver this asks, for messages. */
    public String description() {
        return description;
    }

    /**
     * Where mail for {@code domain} would go; equal preferences are shuffled with a generator seeded
     * by {@code seed}, so the same seed (and the same DNS data) gives the same order.
     */
    public MxResult resolve(String domain, long seed) {
        String bare = stripDot(domain.strip());
        Name name;
        try {
            name = Name.fromString(bare, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + domain + "' is not a domain name: " + e.getMessage(), e);
        }
        Lookup mx = lookup(name, Type.MX);
        Record[] records = mx.run();
        switch (mx.getResult()) {
            case Lookup.SUCCESSFUL:
                return fromMx(bare, records, new SplittableRandom(seed));
            case Lookup.TYPE_NOT_FOUND:
                return implicitMx(bare, name);
            case Lookup.HOST_NOT_FOUND:
                return new MxResult.NxDomain(bare);
            default:
                return new MxResult.ServerFailure(bare, reason(mx));
        }
    }

    private MxResult fromMx(String domain, Record[] records, SplittableRandom random) {
        List<DnsFinding> findings = new ArrayList<>();
        List<MXRecord> mxs = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof MXRecord m) {
                mxs.add(m);
            }
        }
        List<MXRecord> nulls = mxs.stream().filter(m -> m.getTarget().equals(Name.root)).toList();
        if (!nulls.isEmpty() && nulls.size() == mxs.size()) {
            return new MxResult.NullMx(domain);
        }
        if (!nulls.isEmpty()) {
            findings.add(new DnsFinding("RFC 7505 §3", domain + " publishes a null MX (MX 0 .) next to other MX "
                    + "records; the null MX is ignored"));
        }
        Map<Integer, List<String>> byPreference = new TreeMap<>();
        for (MXRecord m : mxs) {
            if (!m.getTarget().equals(Name.root)) {
                List<String> hosts = byPreference.computeIfAbsent(m.getPriority(), p -> new ArrayList<>());
                String host = stripDot(m.getTarget().toString());
                if (!hosts.contains(host)) {
                    hosts.add(host);
                }
            }
        }
        List<MxCandidate> candidates = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> group : byPreference.entrySet()) {
            List<String> hosts = new ArrayList<>(group.getValue());
            hosts.sort(Comparator.naturalOrder()); // the answer's order must not matter, only the seed
            shuffle(hosts, random);
            for (String host : hosts) {
                candidates.add(new MxCandidate(group.getKey(), host, addressesOfMxHost(domain, host, findings), false));
            }
        }
        boolean anyAddress = candidates.stream().anyMatch(c -> !c.addresses().isEmpty());
        return anyAddress ? new MxResult.Candidates(domain, candidates, findings)
                : new MxResult.NoAddress(domain, candidates, findings);
    }

    private List<InetAddress> addressesOfMxHost(String domain, String host, List<DnsFinding> findings) {
        if (IPV4_LITERAL.matcher(host).matches() || host.contains(":")) {
            findings.add(new DnsFinding(REF_LITERAL, "MX of " + domain + " points to " + host
                    + ", an IP address literal, not a host name"));
        }
        Name name;
        try {
            name = Name.fromString(host, Name.root);
        } catch (TextParseException e) {
            findings.add(new DnsFinding(REF_LITERAL, "MX of " + domain + " points to '" + host + "', not a name"));
            return List.of();
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup lookup = lookup(name, type);
            Record[] records = lookup.run();
            if (type == Type.A && lookup.getAliases().length > 0) {
                String canonical = records != null && records.length > 0
                        ? stripDot(records[0].getName().toString()) : "another name";
                findings.add(new DnsFinding(REF_ALIAS, "MX host " + host + " of " + domain + " is an alias (CNAME to "
                        + canonical + "); an MX must name the host itself, not a CNAME"));
            }
            switch (lookup.getResult()) {
                case Lookup.SUCCESSFUL -> addresses.addAll(addresses(records));
                case Lookup.HOST_NOT_FOUND -> {
                    if (type == Type.A) {
                        findings.add(new DnsFinding(REF_LITERAL, "MX host " + host + " of " + domain + " does not exist (NXDOMAIN)"));
                    }
                }
                case Lookup.TYPE_NOT_FOUND -> { }
                default -> findings.add(new DnsFinding(REF_LITERAL, Type.string(type) + " lookup of MX host " + host
                        + " failed: " + reason(lookup)));
            }
        }
        return addresses;
    }

    private MxResult implicitMx(String domain, Name name) {
        List<InetAddress> addresses = new ArrayList<>();
        String failure = null;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Lookup lookup = lookup(name, type);
            Record[] records = lookup.run();
            switch (lookup.getResult()) {
                case Lookup.SUCCESSFUL -> addresses.addAll(addresses(records));
                case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> { }
                default -> failure = Type.string(type) + ": " + reason(lookup);
            }
        }
        List<MxCandidate> candidates = List.of(new MxCandidate(0, domain, addresses, true));
        if (!addresses.isEmpty()) {
            return new MxResult.Candidates(domain, candidates, List.of());
        }
        return failure != null ? new MxResult.ServerFailure(domain, failure)
                : new MxResult.NoAddress(domain, candidates, List.of());
    }

    /**
     * Forward-confirmed reverse DNS of {@code address}: its PTR names, and whether one of them
     * resolves back to it. Mail receivers widely check this of senders; an MX failing it is
     * misconfigured, though no RFC 5321 rule is broken.
     */
    public ReverseDns reverseDns(InetAddress address) {
        Lookup ptr = lookup(ReverseMap.fromAddress(address), Type.PTR);
        Record[] records = ptr.run();
        if (ptr.getResult() != Lookup.SUCCESSFUL) {
            return new ReverseDns(address, List.of(), false, ptr.getResult() == Lookup.HOST_NOT_FOUND
                    || ptr.getResult() == Lookup.TYPE_NOT_FOUND ? "no PTR record" : "PTR lookup failed: " + reason(ptr));
        }
        List<String> names = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof PTRRecord p) {
                names.add(stripDot(p.getTarget().toString()));
            }
        }
        for (String name : names) {
            if (addressesOf(name).contains(address)) {
                return new ReverseDns(address, names, true, "");
            }
        }
        return new ReverseDns(address, names, false, "no PTR name resolves back to " + address.getHostAddress());
    }

    /** The A and AAAA addresses of {@code host} (empty when it has none or cannot be resolved). */
    public List<InetAddress> addressesOf(String host) {
        List<InetAddress> out = new ArrayList<>();
        try {
            Name name = Name.fromString(host, Name.root);
            for (int type : new int[] {Type.A, Type.AAAA}) {
                Lookup lookup = lookup(name, type);
                Record[] records = lookup.run();
                if (lookup.getResult() == Lookup.SUCCESSFUL) {
                    out.addAll(addresses(records));
                }
            }
        } catch (TextParseException e) {
            // a PTR target that is not a name confirms nothing
        }
        return out;
    }

    private Lookup lookup(Name name, int type) {
        Lookup lookup = new Lookup(name, type, DClass.IN);
        lookup.setResolver(resolver);
        lookup.setCache(cache);
        lookup.setSearchPath(List.of());
        return lookup;
    }

    private static List<InetAddress> addresses(Record[] records) {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof ARecord a) {
                out.add(a.getAddress());
            } else if (r instanceof AAAARecord aaaa) {
                out.add(aaaa.getAddress());
            }
        }
        return out;
    }

    /** Fisher-Yates with a well-mixed generator (java.util.Random's first draws barely depend on small seeds). */
    private static void shuffle(List<String> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static String reason(Lookup lookup) {
        String error = lookup.getErrorString();
        if (error == null || error.isBlank() || error.equals("network error")) {
            return "no answer: timed out or network error";
        }
        return error;
    }

    private static String stripDot(String name) {
        return name.endsWith(".") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
    }

    /** Parses {@code HOST[:PORT]} (IPv6 as {@code [::1]:53}); port 53 if omitted. */
    public static InetSocketAddress parseServer(String text) throws UnknownHostException {
        String t = text.strip();
        String host = t;
        int port = 53;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' is not HOST[:PORT]");
            }
            host = t.substring(1, close);
            if (close + 1 < t.length()) {
                port = parsePort(text, t.substring(close + 1));
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':'));
            port = parsePort(text, t.substring(t.indexOf(':')));
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static int parsePort(String text, String colonPort) {
        try {
            int port = Integer.parseInt(colonPort.substring(1));
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (RuntimeException e) {
            // fall through
        }
        throw new IllegalArgumentException("'" + text + "': the port must be a number between 1 and 65535");
    }
}
