package io.fleetgen.agent.impl.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The calling thread's timing and scheduling through libc: sleeping to an absolute {@code CLOCK_MONOTONIC} deadline
 * (the clock of {@link System#nanoTime()} on Linux, so a schedule in nanoTime units needs no conversion), timer
 * slack, {@code SCHED_FIFO} and nice. A {@link Threads} instance belongs to one thread: its {@code timespec} is
 * reused, so a sleep allocates nothing.
 */
public final class Threads {
    private final Memory timespec = new Memory(Abi.TIMESPEC_BYTES);

    /**
     * Sleeps until {@code deadline} ({@link System#nanoTime()} units) or a signal; without libc, parks for the time
     * left instead.
     */
    public void sleepUntil(long deadline) {
        if (!LibC.AVAILABLE) {
            java.util.concurrent.locks.LockSupport.parkNanos(deadline - System.nanoTime());
            return;
        }
        timespec.setLong(0, deadline / 1_000_000_000L);
        timespec.setLong(8, deadline % 1_000_000_000L);
        LibC.clockNanosleep(Abi.CLOCK_MONOTONIC, Abi.TIMER_ABSTIME, timespec, Pointer.NULL);
    }

    /**
     * Sets the calling thread's timer slack to 1 ns, so that a sleeping pacing thread wakes when asked rather than
     * up to 50 us later (the Linux default).
     *
     * @return whether the kernel accepted it
     */
    public static boolean preciseTimers() {
        if (!LibC.AVAILABLE) {
            return false;
        }
        try {
            return LibC.prctl(Abi.PR_SET_TIMERSLACK, 1, 0, 0, 0) == 0;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /**
     * Makes the calling thread real-time ({@code SCHED_FIFO} at {@code priority}, 1-99); needs CAP_SYS_NICE.
     *
     * @return errno, 0 when the kernel accepted it
     */
    public static int realtime(int priority) {
        if (!LibC.AVAILABLE) {
            return -1;
        }
        Memory param = new Memory(4);
        param.setInt(0, priority);
        try {
            return LibC.schedSetscheduler(0, Abi.SCHED_FIFO, param);
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /**
     * Sets the calling thread's nice value (-20..19; below 0 needs CAP_SYS_NICE).
     *
     * @return errno, 0 when the kernel accepted it
     */
    public static int nice(int value) {
        if (!LibC.AVAILABLE) {
            return -1;
        }
        try {
            return LibC.setpriority(Abi.PRIO_PROCESS, 0, value);
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /**
     * Sets the nice value of this JVM's JIT compiler threads (0..19: raising it needs no privilege); compiler threads
     * the JVM adds later are made by them and inherit it.
     *
     * @return how many threads took it
     */
    public static int niceCompilers(int value) {
        int n = 0;
        if (!LibC.AVAILABLE) {
            return n;
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm"));
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        LibC.setpriority(Abi.PRIO_PROCESS, Integer.parseInt(t.getFileName().toString()), value);
                        n++;
                    }
                } catch (IOException | LastErrorException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return n;
        }
        return n;
    }
}
