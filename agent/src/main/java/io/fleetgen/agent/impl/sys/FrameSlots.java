package io.fleetgen.agent.impl.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Native memory for frames that wait in the kernel's queue (io_uring sends, issue 17): {@code count} slots of
 * {@code slotBytes} each, allocated once. A frame copied into a slot stays there until its send completes.
 */
public final class FrameSlots {
    private final Memory memory;
    private final long base;
    private final int slotBytes;

    public FrameSlots(int count, int slotBytes) {
        this.slotBytes = slotBytes;
        this.memory = new Memory((long) count * slotBytes);
        this.base = Pointer.nativeValue(memory);
    }

    /** Copies {@code len} bytes of {@code frame} into slot {@code slot}; returns the slot's native address. */
    public long put(int slot, byte[] frame, int len) {
        memory.write((long) slot * slotBytes, frame, 0, len);
        return base + (long) slot * slotBytes;
    }
}
