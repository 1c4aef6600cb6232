package io.fleetgen.agent.impl.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The JIT compiler threads' nice value, read back from the kernel. */
class ThreadsTest {
    @Test
    void theCompilerThreadsTakeTheNiceValueAndTheCallerKeepsItsOwn() throws IOException {
        int mine = nice(Path.of("/proc/thread-self"));
        int set = Threads.niceCompilers(1);
        List<Integer> compilers = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String comm = Files.readString(t.resolve("comm")).strip();
                if (comm.contains("CompilerThre")) {
                    compilers.add(nice(t));
                }
            }
        }
        assertTrue(set >= 1, "compiler threads niced: " + set);
        assertEquals(set, compilers.size(), "every compiler thread, and only those");
        compilers.forEach(n -> assertEquals(1, n, "a compiler thread's nice value"));
        assertEquals(mine, nice(Path.of("/proc/thread-self")), "the calling thread keeps its own");
    }

    /** A thread's nice value: the 19th field of its stat, counted after the command name (which may hold spaces). */
    private static int nice(Path task) throws IOException {
        String stat = Files.readString(task.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]);
    }
}
