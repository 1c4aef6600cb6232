package io.fleetgen.agent.impl.guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory only this agent's user may enter, for the files it writes and serves (pcap recordings): a shared
 * {@code /tmp} directory would let anyone plant symbolic links there and make a privileged agent write captured
 * bytes into, or serve, any file (issue 11).
 */
public final class PrivateDirectory {
    private PrivateDirectory() {
    }

    /**
     * Creates the directory with mode 0700, or checks an existing one: a real directory (not a link), owned by
     * this process's user; then sets its mode to 0700.
     *
     * @throws IOException naming what is wrong and the option that sets the directory
     */
    public static void prepare(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("pcap-dir: " + dir + " (expected: a directory, not a link; --pcap-dir sets it)");
        }
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IOException("pcap-dir: " + dir + " is owned by " + owner + " (expected: this agent's user "
                    + System.getProperty("user.name") + "; --pcap-dir sets it)");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
