package io.fleetgen.agent.impl.sys;

/**
 * The Linux x86-64/arm64 ABI facts the native calls rely on, in one place: errno values, struct sizes and offsets
 * (LP64), option numbers. Checked against the kernel and glibc headers; {@code AbiTest} pins the ones a unit test
 * can observe.
 */
public final class Abi {
    /** errno: no such file or entry. */
    public static final int ENOENT = 2;
    /** errno: try again (a non-blocking socket's full queue). */
    public static final int EAGAIN = 11;
    /** errno: no buffer space (a packet socket's full transmit queue). */
    public static final int ENOBUFS = 105;

    /** {@code struct mmsghdr}: a {@code struct msghdr} (56 bytes) and {@code unsigned int msg_len}, padded. */
    public static final int MMSGHDR_BYTES = 64;
    /** {@code struct msghdr}'s {@code msg_iov} and {@code msg_iovlen}. */
    public static final int MSGHDR_IOV = 16;
    public static final int MSGHDR_IOVLEN = 24;
    /** {@code struct iovec}: {@code iov_base}, {@code iov_len}. */
    public static final int IOVEC_BYTES = 16;
    public static final int IOVEC_LEN = 8;
    /** {@code struct timespec}: {@code tv_sec}, {@code tv_nsec}; also {@code struct timeval}'s size. */
    public static final int TIMESPEC_BYTES = 16;
    /** {@code struct pollfd}: {@code int fd}, {@code short events}, {@code short revents}. */
    public static final int POLLFD_BYTES = 8;
    public static final int POLLFD_EVENTS = 4;
    public static final short POLLIN = 1;
    /** {@code struct pcap_pkthdr}: {@code struct timeval ts}, {@code caplen}, {@code len}. */
    public static final int PCAP_PKTHDR_CAPLEN = 16;
    public static final int PCAP_PKTHDR_LEN = 20;
    /** {@code struct pcap_stat}: {@code ps_recv}, {@code ps_drop}, {@code ps_ifdrop}. */
    public static final int PCAP_STAT_BYTES = 12;

    /** {@code setsockopt} levels and options. */
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVTIMEO = 20;
    public static final int SOL_PACKET = 263;
    public static final int PACKET_QDISC_BYPASS = 20;
    /** {@code prctl}: the calling thread's timer slack. */
    public static final int PR_SET_TIMERSLACK = 29;
    /** Clocks and scheduling. */
    public static final int CLOCK_MONOTONIC = 1;
    public static final int TIMER_ABSTIME = 1;
    public static final int SCHED_FIFO = 1;
    public static final int PRIO_PROCESS = 0;

    private Abi() {
    }
}
