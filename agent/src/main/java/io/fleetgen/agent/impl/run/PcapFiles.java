package io.fleetgen.agent.impl.run;

import io.fleetgen.codec.PcapChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Reading the pcap files receivers recorded, a piece at a time. Blocking: call it off the event loop. */
public final class PcapFiles {
    private PcapFiles() {
    }

    /** The piece of {@code file} from {@code offset}, at most {@link PcapChunk#MAX_BYTES}; never follows a link. */
    public static PcapChunk chunk(Path file, long offset, byte[] inReplyTo) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long total = ch.size();
            if (offset > total) {
                throw new IOException("offset " + offset + " (expected: 0-" + total + ")");
            }
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(PcapChunk.MAX_BYTES, total - offset));
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // Read until the piece is full or the file ends.
            }
            return new PcapChunk(offset, total, Arrays.copyOf(b.array(), b.position()), inReplyTo);
        }
    }
}
