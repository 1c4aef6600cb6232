package io.fleetgen.agent.impl.sys;

import com.sun.jna.FunctionMapper;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's one libc binding, direct-mapped once (no allocation per call): the packet socket's calls, the
 * transmit thread's clock and scheduling, the capture's {@code poll} and the rtnetlink socket. Java names stand for
 * libc's in snake case: {@code clockNanosleep} is {@code clock_nanosleep}. Linux only; {@link #AVAILABLE} says
 * whether it loaded. Struct layouts and errno values are in {@link Abi}.
 */
public final class LibC {
    /** Whether libc loaded. */
    public static final boolean AVAILABLE;

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

    public static native int sendmmsg(int fd, Pointer msgvec, int vlen, int flags);

    public static native int setsockopt(int fd, int level, int name, Pointer value, int len)
            throws LastErrorException;

    public static native int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    public static native int clockNanosleep(int clock, int flags, Pointer request, Pointer remain);

    public static native int schedSetscheduler(int pid, int policy, Pointer param) throws LastErrorException;

    public static native int setpriority(int which, int who, int prio) throws LastErrorException;

    public static native int poll(Pointer fds, long nfds, int timeoutMillis);

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    public static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    public static native int close(int fd);

    /** {@code syscall(number, a1..a6)}: io_uring's calls, which libc does not wrap; -1 and errno on failure. */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    public static native Pointer mmap(Pointer addr, long len, int prot, int flags, int fd, long offset);

    public static native int munmap(Pointer addr, long len);

    public static native int socketpair(int domain, int type, int protocol, int[] fds);
}
