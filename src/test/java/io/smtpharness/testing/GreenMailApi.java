package io.smtpharness.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads the messages a GreenMail standalone server holds in memory through its REST API
 * ({@code GET /api/user}, {@code GET /api/user/{email}/messages/INBOX}, GreenMail 2.1) and stores
 * each as one file in a maildir's {@code new/}, so tests treat GreenMail like the servers that
 * deliver to a maildir themselves.
 */
final class GreenMailApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .proxy(HttpClient.Builder.NO_PROXY).build();

    private GreenMailApi() {
    }

    /**
     * Copies every message in every user's INBOX into {@code maildir/new/} (file
     * {@code greenmail.<user>.<uid>}); messages copied before are left alone.
     *
     * @throws UncheckedIOException when the API cannot be read
     */
    static void copyMessages(int apiPort, Path maildir) {
        try {
            Path newDir = Files.createDirectories(maildir.resolve("new"));
            Path tmpDir = Files.createDirectories(maildir.resolve("tmp"));
            Files.createDirectories(maildir.resolve("cur"));
            Set<String> users = new LinkedHashSet<>();
            for (JsonNode u : get(apiPort, "/api/user")) {
                users.add(u.path("email").asText(u.path("login").asText()));
            }
            for (String user : users) {
                String path = "/api/user/" + URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20")
                        + "/messages/INBOX";
                for (JsonNode m : get(apiPort, path)) {
                    String name = "greenmail." + user.replaceAll("[^A-Za-z0-9@._-]", "_") + "." + m.path("uid").asText();
                    Path target = newDir.resolve(name);
                    if (!Files.exists(target)) {
                        Path tmp = tmpDir.resolve(name);
                        Files.writeString(tmp, m.path("mimeMessage").asText(), StandardCharsets.UTF_8);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy GreenMail's messages from its API on 127.0.0.1:" + apiPort, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading GreenMail's API", e);
        }
    }

    private static JsonNode get(int apiPort, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(TIMEOUT).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " -> HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode node = JSON.readTree(response.body());
        if (!node.isArray()) {
            throw new IOException("GET " + path + " -> not a JSON array: " + response.body());
        }
        return node;
    }
}
