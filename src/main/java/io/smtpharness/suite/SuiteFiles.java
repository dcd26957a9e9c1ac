package io.smtpharness.suite;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Finds suite files on disk or packed in the jar, and reads their octets (bounded). */
final class SuiteFiles {

    /** The folder of default suites, both in the working directory and inside the jar. */
    static final String FOLDER = "test-suites";

    /** One suite file: the name errors and origins show, and its octets. */
    record SuiteFile(String name, byte[] content) {
    }

    private SuiteFiles() {
    }

    /** Files as given, and every *.yaml / *.yml under each directory; a file named twice is read once. */
    static List<SuiteFile> expand(List<Path> pathsOrDirectories) {
        Set<Path> seen = new LinkedHashSet<>();
        List<SuiteFile> files = new ArrayList<>();
        for (Path path : pathsOrDirectories) {
            List<Path> found = Files.isDirectory(path) ? yamlFilesUnder(path) : List.of(path);
            if (found.isEmpty()) {
                throw new SuiteException(displayName(path), 0, "directory holds no *.yaml or *.yml suite files");
            }
            for (Path file : found) {
                if (seen.add(file.toAbsolutePath().normalize())) {
                    files.add(read(file));
                }
            }
        }
        return files;
    }

    /** One file, refused when missing, not a regular file, or over the size bound. */
    static SuiteFile read(Path file) {
        String name = displayName(file);
        if (!Files.exists(file)) {
            throw new SuiteException(name, 0, "no such file or directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new SuiteException(name, 0, "not a regular file");
        }
        try {
            // check the size first so a huge file is never pulled into memory
            if (Files.size(file) > SourceText.MAX_BYTES) {
                throw SourceText.tooLarge(name);
            }
            return new SuiteFile(name, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new SuiteException(name, 0, "cannot read the file: " + e, e);
        }
    }

    /**
     * The default suites: {@code ./test-suites/} when it holds suite files (so edits apply without a
     * rebuild), else the copy packed next to this class (a jar, or target/classes in a build).
     */
    static List<SuiteFile> builtIn() {
        Path local = Path.of(FOLDER);
        if (Files.isDirectory(local) && !yamlFilesUnder(local).isEmpty()) {
            return fromDirectory(local);
        }
        Optional<Path> home = codeSource();
        if (home.isPresent() && Files.isDirectory(home.get().resolve(FOLDER))) {
            return fromDirectory(home.get().resolve(FOLDER));
        }
        if (home.isPresent() && Files.isRegularFile(home.get())) {
            return fromJar(home.get());
        }
        return List.of();
    }

    /** Suite files under {@code dir}, named {@code test-suites/RELATIVE} as origins of built-in cases read. */
    static List<SuiteFile> fromDirectory(Path dir) {
        List<SuiteFile> files = new ArrayList<>();
        for (Path file : yamlFilesUnder(dir)) {
            String relative = dir.relativize(file).toString().replace(File.separatorChar, '/');
            files.add(new SuiteFile(FOLDER + "/" + relative, read(file).content()));
        }
        return files;
    }

    /** Suite files packed in a jar under {@code test-suites/}, sorted by entry name. */
    static List<SuiteFile> fromJar(Path jarPath) {
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            List<JarEntry> entries = jar.stream()
                    .filter(e -> !e.isDirectory() && e.getName().startsWith(FOLDER + "/") && isYaml(e.getName()))
                    .sorted(Comparator.comparing(JarEntry::getName))
                    .toList();
            List<SuiteFile> files = new ArrayList<>();
            for (JarEntry entry : entries) {
                try (InputStream in = jar.getInputStream(entry)) {
                    // one byte over the bound is enough for SourceText to refuse it
                    files.add(new SuiteFile(entry.getName(), in.readNBytes(SourceText.MAX_BYTES + 1)));
                }
            }
            return files;
        } catch (IOException e) {
            throw new SuiteException(displayName(jarPath), 0, "cannot read built-in suites from the jar: " + e, e);
        }
    }

    /** A path as the user wrote it, with '/' separators so origins look the same on every OS. */
    static String displayName(Path path) {
        return path.toString().replace(File.separatorChar, '/');
    }

    private static List<Path> yamlFilesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p) && isYaml(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new SuiteException(displayName(dir), 0, "cannot list the directory: " + e, e);
        }
    }

    private static boolean isYaml(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml");
    }

    private static Optional<Path> codeSource() {
        CodeSource source = SuiteFiles.class.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(location.toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
