package io.smtpharness.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.smtpharness.dialogue.Dialogue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's own suites, and finding the default suites on disk and in a jar. */
class BuiltInSuitesTest {

    /** Surefire runs in the project directory, where the team keeps the default suites. */
    private static final Path REPOSITORY_SUITES = Path.of("test-suites");

    @TempDir
    Path dir;

    @Test
    void everyYamlFileInTheRepositoryTestSuitesDirectoryLoadsWithoutError() throws IOException {
        List<Path> files = repositorySuiteFiles();
        assumeFalse(files.isEmpty(), "test-suites/ holds no *.yaml file yet; this test checks every one as soon as"
                + " one is added (e.g. test-suites/rfc5321-core.yaml)");

        for (Path file : files) {
            assertThat(new SuiteLoader().load(file)).as(file.toString()).isNotEmpty();
        }
        // together as well: suite names must be unique across the files
        assertThat(new SuiteLoader().loadAll(List.of(REPOSITORY_SUITES))).hasSizeGreaterThanOrEqualTo(files.size());
    }

    @Test
    void builtInSuitesComeFromTheWorkingDirectoryWithTestSuitesOrigins() throws IOException {
        List<Path> files = repositorySuiteFiles();
        assumeFalse(files.isEmpty(), "test-suites/ holds no *.yaml file yet, so there are no built-in suites to load");

        List<Dialogue> cases = new SuiteLoader().loadBuiltIn();

        assertThat(cases).isNotEmpty().allSatisfy(d -> assertThat(d.origin()).matches("test-suites/.+\\.ya?ml:\\d+"));
    }

    @Test
    void theExampleInTheFormatReadmeLoads() throws IOException {
        String readme = Files.readString(REPOSITORY_SUITES.resolve("README.md"));
        int start = readme.indexOf("```yaml\n");
        assertThat(start).as("README.md has a yaml example").isNotNegative();
        String example = readme.substring(start + "```yaml\n".length(), readme.indexOf("```", start + 7));

        List<Dialogue> cases = new SuiteLoader().parse("test-suites/README.md", example.getBytes(StandardCharsets.UTF_8));

        assertThat(cases).extracting(Dialogue::id).containsExactly("rcpt-before-mail", "bare-lf-noop", "simple-message");
    }

    @Test
    void suitesPackedInAJarAreFoundUnderTestSuitesInNameOrder() throws IOException {
        Path jar = dir.resolve("harness.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, "test-suites/", null);
            put(out, "test-suites/b.yaml", SuiteLoaderTest.suite("bravo"));
            put(out, "test-suites/sub/a.yaml", SuiteLoaderTest.suite("alpha"));
            put(out, "test-suites/README.md", "# not a suite");
            put(out, "other/c.yaml", SuiteLoaderTest.suite("charlie"));
        }

        List<SuiteFiles.SuiteFile> files = SuiteFiles.fromJar(jar);

        assertThat(files).extracting(SuiteFiles.SuiteFile::name)
                .containsExactly("test-suites/b.yaml", "test-suites/sub/a.yaml");
        SuiteFiles.SuiteFile first = files.get(0);
        assertThat(new SuiteLoader().parse(first.name(), first.content()).get(0).origin())
                .isEqualTo("test-suites/b.yaml:3");
    }

    @Test
    void suitesInAClassesDirectoryAreNamedRelativeToTestSuites() throws IOException {
        Path suites = Files.createDirectories(dir.resolve("classes/test-suites/sub"));
        Files.writeString(suites.resolve("x.yaml"), SuiteLoaderTest.suite("x"));
        Files.writeString(suites.getParent().resolve("notes.md"), "# not a suite");

        assertThat(SuiteFiles.fromDirectory(suites.getParent())).extracting(SuiteFiles.SuiteFile::name)
                .containsExactly("test-suites/sub/x.yaml");
    }

    private static List<Path> repositorySuiteFiles() throws IOException {
        // the folder itself (with its README) must exist; only its suite files may still be missing
        assertThat(REPOSITORY_SUITES).as("the repository's test-suites/ directory").isDirectory();
        try (Stream<Path> walk = Files.walk(REPOSITORY_SUITES)) {
            return walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static void put(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        if (text != null) {
            OutputStream body = out;
            body.write(text.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }
}
