package io.smtpharness.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.dialogue.ReplyMatcher;
import io.smtpharness.dialogue.Step;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteLoaderTest {

    private static final String FILE = "src/test/resources/suites/example.yaml";

    private final SuiteLoader loader = new SuiteLoader();

    @TempDir
    Path dir;

    static Path example() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(SuiteLoaderTest.class.getResource("/suites/example.yaml")).toURI());
    }

    @Test
    void validFileLoadsIntoTheExactStepsExpected() {
        List<Dialogue> cases = loader.load(Path.of(FILE));

        assertThat(cases).hasSize(2);
        Dialogue first = cases.get(0);
        assertThat(first.suite()).isEqualTo("example");
        assertThat(first.id()).isEqualTo("rcpt-before-mail");
        assertThat(first.title()).isEqualTo("RCPT before MAIL gets 503");
        assertThat(first.rules()).containsExactly("5321-3.3-RCPT-NEEDS-MAIL");
        assertThat(first.tags()).containsExactly("core", "ordering");
        assertThat(first.level()).contains("MUST");
        assertThat(first.origin()).isEqualTo(FILE + ":6");
        Optional<String> none = Optional.empty();
        assertThat(first.steps()).containsExactly(
                new Step.Send("EHLO ${helo}", FILE + ":12"),
                new Step.Expect(ReplyMatcher.of("250"), none, FILE + ":12"),
                new Step.Send("RCPT TO:<${recipient}>", FILE + ":14"),
                new Step.Expect(ReplyMatcher.of("503"), Optional.of("5321-4.1.4-OUT-OF-ORDER-503"), FILE + ":14"),
                new Step.SendRaw("NOOP\n", FILE + ":17"),
                new Step.Expect(ReplyMatcher.of("2xx", "55x"), none, FILE + ":18"),
                new Step.ExpectNoReply(Duration.ofSeconds(3), none, FILE + ":19"),
                new Step.Send("NOOP", FILE + ":20"),
                new Step.Expect(ReplyMatcher.ANY, none, FILE + ":20"),
                new Step.SendData("Subject: test\n\nbody\n", FILE + ":21"),
                new Step.Expect(ReplyMatcher.of("250"), none, FILE + ":21"),
                new Step.Pause(Duration.ofMillis(500), FILE + ":26"),
                new Step.ExpectClose(Duration.ofSeconds(10), none, FILE + ":27"),
                new Step.Close(FILE + ":28"));
    }

    @Test
    void requiresListsEhloKeywordsInUpperCaseAndIsEmptyByDefault() throws Exception {
        Path file = dir.resolve("requires.yaml");
        Files.writeString(file, "suite: s\ncases:\n  - id: c\n    title: t\n    rules: [5321-3.3-RCPT-NEEDS-MAIL]\n"
                + "    requires: [starttls, Size, STARTTLS]\n    steps:\n      - send: NOOP\n");
        assertThat(loader.load(file).get(0).requires()).containsExactly("STARTTLS", "SIZE");
        assertThat(loader.load(Path.of(FILE)).get(0).requires()).isEmpty();
    }

    @Test
    void sendRawWithExpectBecomesTwoStepsAndStepRulesAreKept() {
        Dialogue second = loader.load(Path.of(FILE)).get(1);

        assertThat(second.level()).isEmpty();
        assertThat(second.tags()).containsExactly("core");
        assertThat(second.rules()).containsExactly("5321-3.3-RCPT-NEEDS-MAIL", "5321-4.1.4-OUT-OF-ORDER-503");
        assertThat(second.steps()).containsExactly(
                new Step.SendRaw("NOOP\r\n", FILE + ":33"),
                new Step.Expect(ReplyMatcher.of("250"), Optional.of("5321-4.1.4-OUT-OF-ORDER-503"), FILE + ":33"),
                new Step.ExpectNoReply(Duration.ofMinutes(2), Optional.of("5321-3.3-RCPT-NEEDS-MAIL"), FILE + ":36"));
    }

    @Test
    void loadingFromTheClassPathCopyGivesTheSameCases() throws Exception {
        List<Dialogue> fromResource = loader.load(example());

        assertThat(fromResource).extracting(Dialogue::id).containsExactly("rcpt-before-mail", "raw-with-expect");
    }

    @Test
    void directoriesAreLoadedRecursivelyInPathOrder() throws IOException {
        write("b.yaml", suite("bravo"));
        write("a/z.yml", suite("alpha"));
        write("notes.txt", "not a suite");

        List<Dialogue> cases = loader.loadAll(List.of(dir));

        assertThat(cases).extracting(Dialogue::suite).containsExactly("alpha", "bravo");
    }

    @Test
    void aFileNamedTwiceIsLoadedOnce() throws IOException {
        Path file = write("one.yaml", suite("one"));

        assertThat(loader.loadAll(List.of(file, dir))).hasSize(1);
    }

    @Test
    void selectKeepsCasesWithAnyGivenTagIncludingSuiteTags() throws IOException {
        write("s.yaml", "suite: s\ntags: [core]\ncases:\n"
                + kase("a", "[x]") + kase("b", "[y]") + kase("c", "[]"));
        List<Dialogue> cases = loader.loadAll(List.of(dir));

        assertThat(SuiteLoader.select(cases, Set.of())).hasSize(3);
        assertThat(SuiteLoader.select(cases, Set.of("core"))).hasSize(3);
        assertThat(SuiteLoader.select(cases, Set.of("y", "x"))).extracting(Dialogue::id).containsExactly("a", "b");
        assertThat(SuiteLoader.select(cases, Set.of("nope"))).isEmpty();
    }

    @Test
    void parseNamesOriginsAfterTheGivenName() {
        List<Dialogue> cases = loader.parse("findings/f1.yaml", suite("f").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(cases.get(0).origin()).isEqualTo("findings/f1.yaml:3");
    }

    @Test
    void aByteOrderMarkIsAccepted() throws IOException {
        Path file = dir.resolve("bom.yaml");
        byte[] text = suite("bom").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Files.write(file, withBom);

        assertThat(loader.load(file)).hasSize(1);
    }

    @Test
    void emptyDataIsAnEmptyMessage() throws IOException {
        Path file = write("d.yaml", "suite: d\ncases:\n  - id: c\n    title: t\n    rules: [5321-3.3-RCPT-NEEDS-MAIL]\n"
                + "    steps:\n      - data: \"\"\n");

        assertThat(loader.load(file).get(0).steps().get(0)).isEqualTo(new Step.SendData("", file + ":7"));
    }

    static String suite(String name) {
        return "suite: " + name + "\ncases:\n" + kase("c", "[]");
    }

    static String kase(String id, String tags) {
        return "  - id: " + id + "\n    title: t\n    rules: [5321-3.3-RCPT-NEEDS-MAIL]\n    tags: " + tags
                + "\n    steps:\n      - send: NOOP\n";
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
