package io.smtpharness.result;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The name and version every report carries; the version is filtered into a resource by Maven. */
public final class Tool {

    /** The tool's name in reports. */
    public static final String NAME = "smtp-harness";

    private static final String VERSION = readVersion();

    private Tool() {
    }

    /** The version string, e.g. {@code 0.1.0-SNAPSHOT} ({@code unknown} outside a Maven build). */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Tool.class.getResourceAsStream("/io/smtpharness/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
