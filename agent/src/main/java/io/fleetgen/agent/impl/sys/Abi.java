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

    /** io_uring (Linux 6.0+; issue 17's kernel-timed departures): system calls, the same number on x86-64 and arm64. */
    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    /** {@code struct io_uring_params}: 120 bytes; {@code sq_off} at 40 and {@code cq_off} at 80 (40 bytes each). */
    public static final int URING_PARAMS_BYTES = 120;
    public static final int URING_PARAMS_SQ_ENTRIES = 0;
    public static final int URING_PARAMS_CQ_ENTRIES = 4;
    public static final int URING_PARAMS_FLAGS = 8;
    public static final int URING_PARAMS_FEATURES = 20;
    public static final int URING_PARAMS_SQ_OFF = 40;
    public static final int URING_PARAMS_CQ_OFF = 80;
    /** {@code struct io_sqring_offsets}: head, tail, ring_mask, ring_entries, flags, dropped, array. */
    public static final int SQ_OFF_HEAD = 0;
    public static final int SQ_OFF_TAIL = 4;
    public static final int SQ_OFF_ARRAY = 24;
    /** {@code struct io_cqring_offsets}: head, tail, ring_mask, ring_entries, overflow, cqes. */
    public static final int CQ_OFF_HEAD = 0;
    public static final int CQ_OFF_TAIL = 4;
    public static final int CQ_OFF_CQES = 20;
    /** {@code IORING_SETUP_CQSIZE}: the completion queue's size is given. */
    public static final int IORING_SETUP_CQSIZE = 1 << 3;
    /** {@code IORING_FEAT_SINGLE_MMAP}: both rings in one mapping. */
    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    /** mmap offsets of the submission ring, the completion ring and the submission entries. */
    public static final long IORING_OFF_SQ_RING = 0;
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    public static final long IORING_OFF_SQES = 0x10000000L;
    /** {@code struct io_uring_sqe} (64 bytes): opcode, flags, fd, off, addr, len, op flags, user_data. */
    public static final int SQE_BYTES = 64;
    public static final int SQE_OPCODE = 0;
    public static final int SQE_FLAGS = 1;
    public static final int SQE_FD = 4;
    public static final int SQE_OFF = 8;
    public static final int SQE_ADDR = 16;
    public static final int SQE_LEN = 24;
    public static final int SQE_OP_FLAGS = 28;
    public static final int SQE_USER_DATA = 32;
    /** {@code struct io_uring_cqe} (16 bytes): user_data, res, flags. */
    public static final int CQE_BYTES = 16;
    public static final int CQE_RES = 8;
    public static final byte IORING_OP_TIMEOUT = 11;
    public static final byte IORING_OP_ASYNC_CANCEL = 14;
    public static final byte IORING_OP_SEND = 26;
    public static final byte IOSQE_IO_LINK = 1 << 2;
    public static final int IORING_TIMEOUT_ABS = 1;
    /** A timeout that expires counts as success: the linked request after it runs. */
    public static final int IORING_TIMEOUT_ETIME_SUCCESS = 1 << 5;
    public static final int IORING_ASYNC_CANCEL_ALL = 1;
    public static final int IORING_ASYNC_CANCEL_ANY = 1 << 2;
    public static final int IORING_ENTER_GETEVENTS = 1;
    public static final int IORING_ENTER_EXT_ARG = 1 << 3;
    /** {@code struct io_uring_getevents_arg}: sigmask, sigmask_sz, pad, ts (a pointer to a timespec). */
    public static final int GETEVENTS_ARG_BYTES = 24;
    public static final int GETEVENTS_ARG_TS = 16;
    /** mmap. */
    public static final int PROT_READ_WRITE = 3;
    public static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    /** errno: interrupted; timer expired; operation canceled. */
    public static final int EINTR = 4;
    public static final int ETIME = 62;
    public static final int ECANCELED = 125;
    /** socketpair (tests): AF_UNIX, SOCK_DGRAM. */
    public static final int AF_UNIX = 1;
    public static final int SOCK_DGRAM = 2;

    private Abi() {
    }
}
