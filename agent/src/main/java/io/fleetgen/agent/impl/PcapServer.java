package io.fleetgen.agent.impl;

import io.fleetgen.agent.impl.AgentVerticle.AgentException;
import io.fleetgen.agent.impl.run.PcapFiles;
import io.fleetgen.agent.impl.run.ReceiverRun;
import io.fleetgen.agent.impl.run.Run;
import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Envelope;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * Serves the pcap files ended receivers recorded: one piece of at most {@code PcapChunk.MAX_BYTES} per admitted
 * fetch, read off the event loop and sealed for the control that asked (issue 11: a 64 MiB file read whole did not
 * fit the agent's heap, nor the control's).
 */
final class PcapServer {
    private final Vertx vertx;
    private final Keyring keyring;
    private final String host;

    PcapServer(Vertx vertx, Keyring keyring, String host) {
        this.vertx = vertx;
        this.keyring = keyring;
        this.host = host;
    }

    /** The sealed piece the admitted fetch {@code o} asks for, or a failure with the refusal's code. */
    Future<Envelope> serve(Opened<Command> o, Run r) {
        Command cmd = o.value();
        AgentException refusal = refusal(cmd, r);
        if (refusal != null) {
            return Future.failedFuture(refusal);
        }
        Path file = ((ReceiverRun) r).pcapFile();
        return vertx.executeBlocking(() -> PcapFiles.chunk(file, cmd.offset(), cmd.nonce()), false)
                .map(c -> Opened.sealTo(keyring, c, o.sender(), o.envelope().recipientFingerprint()))
                .recover(e -> Future.failedFuture(new AgentException(ErrorCode.IO, cmd.name() + ": pcap file: "
                        + e.getMessage())));
    }

    /** Why a fetch cannot be served, or {@code null}. */
    private AgentException refusal(Command cmd, Run r) {
        String where = cmd.name() + " on " + host;
        if (cmd.op() != CommandOp.FETCH_PCAP) {
            return new AgentException(ErrorCode.INVALID, "op: " + cmd.op() + " (expected: FETCH_PCAP here)");
        }
        if (r == null) {
            return new AgentException(ErrorCode.NO_SUCH_RUN, cmd.name() + ": no such run on " + host);
        }
        if (!(r instanceof ReceiverRun) || ((ReceiverRun) r).pcapFile() == null) {
            return new AgentException(ErrorCode.INVALID, where + " recorded no pcap file (expected: a receiver "
                    + "whose profile sets pcap=N)");
        }
        if (r.live()) {
            return new AgentException(ErrorCode.INVALID, where + " is still running (expected: an ended run; stop "
                    + "it first)");
        }
        return null;
    }
}
