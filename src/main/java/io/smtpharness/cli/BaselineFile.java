package io.smtpharness.cli;

import io.smtpharness.report.SummaryJson;
import io.smtpharness.result.Baseline;
import io.smtpharness.suite.AcceptedDeviationsFile;
import io.smtpharness.suite.SuiteException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --baseline FILE} and {@code report diff OLD}: a report directory or its {@code summary.json}
 * (every deviation of that run is accepted), or a YAML file of accepted deviations
 * ({@link AcceptedDeviationsFile}). Any problem is an input error (exit 2) naming the file, and line
 * where there is one, found before anything runs.
 */
final class BaselineFile {

    private BaselineFile() {
    }

    /** A summary.json starts with '{' (after blanks); a YAML file of accepted deviations does not. */
    private static boolean isJson(Path file) throws IOException {
        try (java.io.Reader in = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            int c;
            do {
                c = in.read();
            } while (c >= 0 && Character.isWhitespace(c));
            return c == '{';
        }
    }

    static Baseline read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(SummaryJson.FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            throw new UsageException("cannot read the baseline: " + file + " does not exist or is not a file");
        }
        try {
            return isJson(file) ? Baseline.of(SummaryJson.read(file), file.toString())
                    : new Baseline(file.toString(), AcceptedDeviationsFile.read(file));
        } catch (SuiteException e) {
            throw new UsageException("cannot read the baseline: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new UsageException("cannot read the baseline: " + file + " is not a readable summary.json or file of"
                    + " accepted deviations: " + e.getMessage());
        }
    }
}
