package io.fleetgen.agent.impl.guard;

import io.fleetgen.agent.impl.rx.CaptureRing;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.L4Proto;
import io.fleetgen.codec.ProfileSpec;
import io.fleetgen.codec.ProfileType;
import io.fleetgen.codec.StreamField;

/**
 * What live runs may hold at once on this agent (issue 11): runs, transmit threads, capture ring memory (each
 * capture, a receiver's or an ICMP/TCP sender's, holds the kernel ring {@link CaptureRing} gives it, 4-32 MiB)
 * and starts waiting for or in preparation. A start that would pass a limit is refused with
 * {@link ErrorCode#LIMIT} naming it and its option; nothing already running is touched. Confined to the agent's
 * event loop.
 */
public final class Quotas {
    private final int maxRuns;
    private final int maxTxThreads;
    private final int maxCaptureMib;
    private final int maxPreparing;
    private int runs;
    private int txThreads;
    private int captureMib;
    private int preparing;

    public Quotas(int maxRuns, int maxTxThreads, int maxCaptureMib, int maxPreparing) {
        this.maxRuns = maxRuns;
        this.maxTxThreads = maxTxThreads;
        this.maxCaptureMib = maxCaptureMib;
        this.maxPreparing = maxPreparing;
    }

    /** What one run holds. */
    public static final class Share {
        final int txThreads;
        final int captureMib;
        private boolean preparing = true;
        private boolean released;

        Share(int txThreads, int captureMib) {
            this.txThreads = txThreads;
            this.captureMib = captureMib;
        }
    }

    /** Reserves what a run of this profile holds, or refuses. */
    public Share reserve(ProfileSpec p, boolean sender) throws Policy.Refusal {
        int threads = sender ? p.threads() : 0;
        boolean captures = !sender || p.stream().proto() != L4Proto.UDP && !(p.stream().proto() == L4Proto.TCP
                && (p.stream().isSet(StreamField.TCP_FLAGS) || p.type() == ProfileType.SPORT_RANGE));
        int mib = !captures ? 0 : (sender ? CaptureRing.ofSender(p) : CaptureRing.ofReceiver(p)).mib();
        check(runs + 1 > maxRuns, "live runs", runs, maxRuns, "--max-live-runs");
        check(txThreads + threads > maxTxThreads, "transmit threads", txThreads, maxTxThreads, "--max-tx-threads");
        check(captureMib + mib > maxCaptureMib, "capture memory (MiB)", captureMib, maxCaptureMib,
                "--max-capture-mib");
        check(preparing + 1 > maxPreparing, "starts pending", preparing, maxPreparing, "--max-pending-starts");
        runs++;
        txThreads += threads;
        captureMib += mib;
        preparing++;
        return new Share(threads, mib);
    }

    private static void check(boolean over, String what, int used, int max, String option) throws Policy.Refusal {
        if (over) {
            throw new Policy.Refusal(ErrorCode.LIMIT, what + ": " + used + " in use (expected: at most " + max
                    + " on this agent; " + option + " sets it)");
        }
    }

    /** The run has been prepared (or failed to). */
    public void prepared(Share s) {
        if (s.preparing) {
            s.preparing = false;
            preparing--;
        }
    }

    /** The run ended: everything it held is free again. Idempotent. */
    public void release(Share s) {
        prepared(s);
        if (!s.released) {
            s.released = true;
            runs--;
            txThreads -= s.txThreads;
            captureMib -= s.captureMib;
        }
    }

    /** Live runs now. */
    public int runs() {
        return runs;
    }
}
