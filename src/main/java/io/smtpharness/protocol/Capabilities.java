package io.smtpharness.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The extensions an EHLO reply lists (RFC 5321 §4.1.1.1): each line after the first is an
 * ehlo-keyword, optionally followed by parameters separated by spaces. The one parser of EHLO
 * replies: the session model, the oracles and the steps all read keywords through it. Keywords are kept upper-case
 * (they are case-insensitive); parameters as sent.
 *
 * @param keywords upper-case keyword → its parameters, in reply order
 */
public record Capabilities(Map<String, List<String>> keywords) {

    private static final Pattern SPACES = Pattern.compile(" +");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,18}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    public Capabilities {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        keywords.forEach((k, v) -> copy.put(k.toUpperCase(Locale.ROOT), List.copyOf(v)));
        keywords = Collections.unmodifiableMap(copy);
    }

    /** The extensions of an EHLO reply; the first line (the greeting part) is not one. */
    public static Capabilities of(Reply ehloReply) {
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        for (ReplyLine line : ehloReply.lines().subList(1, ehloReply.lines().size())) {
            // the keyword is the text up to the first SP (a line that starts with SP names none)
            String[] parts = line.text().split(" ", 2);
            String keyword = parts[0].toUpperCase(Locale.ROOT);
            String params = parts.length > 1 ? parts[1].trim() : "";
            if (!keyword.isEmpty()) {
                keywords.putIfAbsent(keyword, params.isEmpty() ? List.of() : List.of(SPACES.split(params)));
            }
        }
        return new Capabilities(keywords);
    }

    /** True when {@code keyword} is listed (case-insensitive). */
    public boolean has(String keyword) {
        return keywords.containsKey(keyword.toUpperCase(Locale.ROOT));
    }

    /** The parameters of {@code keyword}; empty when it is not listed or has none. */
    public List<String> params(String keyword) {
        return keywords.getOrDefault(keyword.toUpperCase(Locale.ROOT), List.of());
    }

    /**
     * The SASL mechanisms of the AUTH keyword (RFC 4954 §3), upper-cased, since mechanism names are
     * case-insensitive (§8); empty when AUTH is not listed.
     */
    public List<String> authMechanisms() {
        return params("AUTH").stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
    }

    /**
     * The fixed message size limit of RFC 1870 §3: the SIZE parameter when it is a positive number;
     * empty when SIZE is absent, has no number, is 0 (no fixed limit) or is not a number.
     */
    public OptionalLong sizeLimit() {
        List<String> params = params("SIZE");
        if (params.size() != 1 || !LIMIT.matcher(params.get(0)).matches()) {
            return OptionalLong.empty();
        }
        long size = Long.parseLong(params.get(0));
        return size > 0 ? OptionalLong.of(size) : OptionalLong.empty();
    }

    /** The SIZE parameter when it is present but not a number (RFC 1870 §3 allows digits only). */
    public Optional<String> malformedSize() {
        List<String> params = params("SIZE");
        if (params.isEmpty() || params.size() == 1 && DIGITS.matcher(params.get(0)).matches()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" ", params));
    }
}
