package io.fleetgen.agent.impl.tx;

import com.sun.jna.FunctionMapper;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Locale;
import java.util.Map;

/**
 * libc for the transmit path, direct-mapped once: the packet socket's calls ({@link PacketSocket}) and the
 * transmit thread's clock and scheduling ({@link ThreadTiming}). Java names stand for libc's in snake case:
 * {@code clockNanosleep} is {@code clock_nanosleep}. Linux only; {@link #AVAILABLE} says whether it loaded.
 */
final class LibC {
    static final boolean AVAILABLE;

    static {
        boolean ok;
        try {
            FunctionMapper snake = (lib, m) -> m.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
            Native.register(LibC.class, NativeLibrary.getInstance("c", Map.of(Library.OPTION_FUNCTION_MAPPER,
                    snake)));
            ok = true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            ok = false;
        }
        AVAILABLE = ok;
    }

    private LibC() {
    }

    static native int sendmmsg(int fd, Pointer msgvec, int vlen, int flags);

    static native int setsockopt(int fd, int level, int name, Pointer value, int len) throws LastErrorException;

    static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    static native int clockNanosleep(int clock, int flags, Pointer request, Pointer remain);

    static native int schedSetscheduler(int pid, int policy, Pointer param) throws LastErrorException;

    static native int setpriority(int which, int who, int prio) throws LastErrorException;
}
