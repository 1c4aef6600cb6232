package io.fleetgen.agent.impl.tx;

import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/** One frame per {@code pcap_sendpacket}: the path without batches (TCP sessions, and batches turned off). */
public final class PcapSink implements FrameSink {
    private final PcapHandle handle;
    private byte[] frame;
    private int len;
    private long flushed;

    public PcapSink(PcapHandle handle) {
        this.handle = handle;
    }

    @Override
    public void add(byte[] f, int n) {
        if (frame != null) {
            throw new IllegalStateException("one frame per flush");
        }
        this.frame = f;
        this.len = n;
    }

    @Override
    public int flush() {
        if (frame == null) {
            flushed = 0;
            return 0;
        }
        try {
            handle.sendPacket(frame, len);
            flushed = len;
            return 1;
        } catch (PcapNativeException | NotOpenException e) {
            flushed = 0;
            return 0;
        } finally {
            frame = null;
        }
    }

    @Override
    public long flushedBytes() {
        return flushed;
    }

    @Override
    public int capacity() {
        return 1;
    }
}
