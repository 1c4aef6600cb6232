package io.fleetgen.codec.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepLabLogsTest {
    @Test
    void onlyTheLogsWrittenDuringTheTestAreKept(@TempDir Path dir) throws Exception {
        long start = System.currentTimeMillis();
        Path old = Files.writeString(dir.resolve("h1.log"), "an earlier test's agent");
        Files.setLastModifiedTime(old, FileTime.fromMillis(start - 60_000));
        Path fresh = Files.writeString(dir.resolve("h2.log"), "this test's agent");
        Files.writeString(dir.resolve("h2.pid"), "123");
        assertEquals(List.of(fresh), KeepLabLogs.written(dir, start - 1000));
        assertEquals(List.of(), KeepLabLogs.written(dir.resolve("absent"), 0));
    }
}
