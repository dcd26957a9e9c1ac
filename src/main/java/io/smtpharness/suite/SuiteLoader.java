package io.smtpharness.suite;

import io.smtpharness.dialogue.Dialogue;
import io.smtpharness.rules.RuleCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads scripted dialogues from suite files (format: test-suites/README.md). Loading is all or
 * nothing: the first problem found is thrown as a {@link SuiteException} naming file and line.
 */
public final class SuiteLoader {

    private final RuleCatalog catalog;

    /** A loader that checks rule IDs against the catalogue shipped with this version. */
    public SuiteLoader() {
        this(RuleCatalog.standard());
    }

    /** A loader that checks rule IDs against {@code catalog}. */
    public SuiteLoader(RuleCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog == null");
    }

    /** The cases of one suite file, in file order. */
    public List<Dialogue> load(Path file) {
        Objects.requireNonNull(file, "file == null");
        return loadFiles(List.of(SuiteFiles.read(file)));
    }

    /**
     * The cases of several files and directories (each directory: every *.yaml / *.yml under it,
     * recursively, sorted by path). A suite name used by two files is an error naming both.
     */
    public List<Dialogue> loadAll(List<Path> pathsOrDirectories) {
        Objects.requireNonNull(pathsOrDirectories, "pathsOrDirectories == null");
        return loadFiles(SuiteFiles.expand(pathsOrDirectories));
    }

    /**
     * The default suites: {@code ./test-suites/} when it holds suite files, else the copy packed in
     * the jar. Origins read {@code test-suites/NAME.yaml:LINE}. Finding none at all is an error.
     */
    public List<Dialogue> loadBuiltIn() {
        List<SuiteFiles.SuiteFile> files = SuiteFiles.builtIn();
        if (files.isEmpty()) {
            throw new SuiteException(SuiteFiles.FOLDER, 0, "no built-in suites found: neither ./"
                    + SuiteFiles.FOLDER + "/ nor the jar holds any *.yaml suite file");
        }
        return loadFiles(files);
    }

    /** The cases of suite text that is not a file (a fuzz finding, a test); {@code name} is used in errors and origins. */
    public List<Dialogue> parse(String name, byte[] content) {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(content, "content == null");
        return loadFiles(List.of(new SuiteFiles.SuiteFile(name, content)));
    }

    /** The tag of cases that take minutes (RFC 5321 timeouts); they run only when asked for by tag. */
    public static final String SLOW = "slow";

    /**
     * The dialogues carrying at least one of {@code tags} (a case's tags include its suite's tags),
     * in the given order; an empty set selects all. Cases tagged {@link #SLOW} are selected only
     * when {@code tags} names {@code slow}, so a plain run stays quick.
     */
    public static List<Dialogue> select(List<Dialogue> dialogues, Set<String> tags) {
        Objects.requireNonNull(dialogues, "dialogues == null");
        Objects.requireNonNull(tags, "tags == null");
        return dialogues.stream()
                .filter(d -> tags.contains(SLOW) || !d.tags().contains(SLOW))
                .filter(d -> tags.isEmpty() || d.tags().stream().anyMatch(tags::contains))
                .collect(Collectors.toUnmodifiableList());
    }

    private List<Dialogue> loadFiles(List<SuiteFiles.SuiteFile> files) {
        Map<String, String> declaredAt = new HashMap<>();
        List<Dialogue> all = new ArrayList<>();
        for (SuiteFiles.SuiteFile file : files) {
            SuiteReader.ParsedSuite suite = SuiteReader.read(file.name(), file.content(), catalog);
            String where = file.name() + ":" + suite.line();
            String first = declaredAt.putIfAbsent(suite.name(), where);
            if (first != null) {
                // ids in reports are suite/case, so two files may not share a suite name
                throw new SuiteException(file.name(), suite.line(), "suite '" + suite.name()
                        + "' is already defined in " + first + "; suite names must be unique");
            }
            all.addAll(suite.cases());
        }
        return List.copyOf(all);
    }
}
