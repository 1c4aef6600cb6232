package io.fleetgen.agent.impl.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetgen.codec.Command;
import io.fleetgen.codec.CommandOp;
import io.fleetgen.codec.Decoded;
import io.fleetgen.codec.ErrorCode;
import io.fleetgen.codec.security.AuthException;
import io.fleetgen.codec.security.CredentialRole;
import io.fleetgen.codec.security.Keyring;
import io.fleetgen.codec.security.Opened;
import io.fleetgen.codec.testing.TestCreds;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only a control whose command was admitted is remembered for what the agent publishes. */
class CommandGateTest {
    @TempDir
    Path dir;

    private static Decoded<Object> command(Keyring from, Keyring to, long now, int nonce) {
        Command c = Command.of(CommandOp.POLL, "r1", null).bind("h1", now, new byte[] {1, 2, 3, 4, 5, 6, 7,
            (byte) nonce});
        return Decoded.of(Opened.sealTo(from, c, to.self(), null));
    }

    @Test
    void remembersEachAdmittingControlOnceAndNoRefusedSender() throws Exception {
        Keyring h1 = TestCreds.keyring(dir, "fleet", "h1", CredentialRole.AGENT);
        Keyring ctl = TestCreds.keyring(dir, "fleet", "ctl", CredentialRole.CONTROL);
        Keyring h2 = TestCreds.keyring(dir, "fleet", "h2", CredentialRole.AGENT);
        CommandGate gate = new CommandGate(h1, "h1", 30_000, 100);
        long now = System.currentTimeMillis();
        assertTrue(gate.controls().isEmpty());

        assertEquals("ctl", gate.admit(command(ctl, h1, now, 1), false, now).sender().name());
        gate.admit(command(ctl, h1, now, 2), false, now);
        assertEquals(1, gate.controls().size(), "one control, commanding twice");
        assertEquals("ctl", gate.controls().get(0).name());

        AuthException agent = assertThrows(AuthException.class, () -> gate.admit(command(h2, h1, now, 3), false,
                now));
        assertEquals(ErrorCode.FORBIDDEN, agent.code());
        AuthException replay = assertThrows(AuthException.class, () -> gate.admit(command(ctl, h1, now, 1), false,
                now));
        assertEquals(ErrorCode.REPLAYED, replay.code());
        assertEquals(1, gate.controls().size(), "refused senders are not remembered");
    }

    @Test
    void anInsecureGateRemembersNoControl() throws Exception {
        CommandGate gate = new CommandGate(Keyring.insecure(), "h1", 30_000, 100);
        long now = System.currentTimeMillis();
        gate.admit(command(Keyring.insecure(), Keyring.insecure(), now, 1), false, now);
        assertTrue(gate.controls().isEmpty());
    }
}
