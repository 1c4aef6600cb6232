package io.fleetgen.codec.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Keeps the lab agents' logs of a failed lab test: the next test's lab writes over {@code deploy/.lab/hI.log}, so
 * a failure's cause was gone by the time anyone looked. On failure, the logs written during the test are copied to
 * {@code target/lab-logs/CLASS.TEST/} of the module under test (where {@code deploy/test.sh} shows their tails).
 * Registered for the lab profile's integration tests by JUnit's extension auto-detection.
 */
public final class KeepLabLogs implements BeforeTestExecutionCallback, TestWatcher {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KeepLabLogs.class);
    private static final String STARTED = "started";

    /** The lab's state directory, as {@code deploy/lab.sh} names it. */
    static Path labState() {
        String state = System.getenv("FLEETGEN_LAB_STATE");
        return state != null ? Path.of(state)
                : Path.of(System.getProperty("fleetgen.root", "..")).resolve("deploy/.lab").toAbsolutePath();
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(NS).put(STARTED, System.currentTimeMillis());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Long started = context.getStore(NS).get(STARTED, Long.class);
        String method = context.getRequiredTestMethod().getName();
        String shown = context.getDisplayName();
        // A parameterised test's invocations differ by display name ("bus TLS true"); a plain test's is "name()".
        String name = context.getRequiredTestClass().getSimpleName() + "." + method
                + (shown.startsWith(method + "(") ? "" : "-" + shown.replaceAll("[^A-Za-z0-9=-]+", "_"));
        try {
            List<Path> logs = written(labState(), started == null ? 0 : started - 1000);
            if (logs.isEmpty()) {
                return;
            }
            Path into = Path.of("target", "lab-logs", name);
            Files.createDirectories(into);
            for (Path log : logs) {
                Files.copy(log, into.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            System.err.println("lab logs of the failed test kept in " + into.toAbsolutePath());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("lab logs of the failed test not kept: " + e);
        }
    }

    /** The logs in {@code dir} modified at or after {@code sinceMillis}. */
    static List<Path> written(Path dir, long sinceMillis) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).filter(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() >= sinceMillis;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }
}
