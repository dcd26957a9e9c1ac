package io.smtpharness.cli;

import io.smtpharness.result.Tool;
import picocli.CommandLine;

/** {@code --version}: the tool version of every report. */
public final class Version implements CommandLine.IVersionProvider {

    /** The version string, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String value() {
        return Tool.version();
    }

    @Override
    public String[] getVersion() {
        return new String[] {Tool.NAME + " " + Tool.version()};
    }
}
