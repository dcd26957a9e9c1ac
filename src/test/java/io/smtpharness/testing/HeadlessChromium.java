package io.smtpharness.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, for tests that check a page as a browser shows it: the DOM after
 * scripts ran, a screenshot, and the net log. Every host name resolves to nothing, so a page that
 * tried to fetch from the network could not, and the net log shows that it tried.
 */
public final class HeadlessChromium {

    public static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Path scratch;

    private HeadlessChromium(Path scratch) {
        this.scratch = scratch;
    }

    /**
     * Chromium with its profiles under {@code scratch}; when one of {@code tools} (Chromium itself
     * always) is missing, the test fails in CI (which installs them) and is aborted elsewhere.
     */
    public static HeadlessChromium orSkip(Path scratch, Path... tools) {
        List<Path> needed = new ArrayList<>(List.of(BINARY));
        needed.addAll(List.of(tools));
        for (Path tool : needed) {
            if (!Files.isExecutable(tool)) {
                String why = tool + " is missing (.ci/run installs Debian's chromium; mvn unpacks Allure's command line)";
                if (RealServer.requiredHere()) {
                    Assertions.fail(why);
                }
                Assumptions.abort(why);
            }
        }
        return new HeadlessChromium(scratch);
    }

    /** Opens {@code url} in a 1400 × 1000 window and returns what {@code what} (--dump-dom, say) prints. */
    public String render(String url, String... what) throws Exception {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--user-data-dir=" + Files.createTempDirectory(scratch, "chromium"), "--window-size=1400,1000",
                "--virtual-time-budget=15000"));
        command.addAll(List.of(what));
        command.add(url);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = process.getInputStream().readAllBytes();
        // bounds a hang only: each takes a few seconds
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("chromium ended").isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("chromium: " + text).isZero();
        return text;
    }

    /**
     * The http(s) and ws(s) URLs the page at {@code url} asked for, from Chromium's net log. Chromium's
     * own background requests have no initiator ("not an origin") and are left out; the page's have one.
     */
    public List<String> pageFetches(String url) throws Exception {
        Path netLog = Files.createTempFile(scratch, "net", ".json");
        render(url, "--dump-dom", "--log-net-log=" + netLog);
        JsonNode log = new ObjectMapper().readTree(netLog.toFile());
        Map<Integer, String> types = new HashMap<>();
        log.get("constants").get("logEventTypes").fields().forEachRemaining(e -> types.put(e.getValue().asInt(), e.getKey()));
        List<String> fetched = new ArrayList<>();
        int requests = 0;
        for (JsonNode event : log.get("events")) {
            JsonNode params = event.path("params");
            if ("URL_REQUEST_START_JOB".equals(types.get(event.get("type").asInt())) && params.has("url")) {
                requests++;
                String initiator = params.path("initiator").asText();
                if (!initiator.equals("not an origin") && params.get("url").asText().matches("(?i)(https?|wss?)://.*")) {
                    fetched.add(params.get("url").asText());
                }
            }
        }
        assertThat(requests).as("the net log records requests").isPositive();
        return fetched;
    }
}
