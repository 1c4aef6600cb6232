package io.fleetgen.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address and hex text, parsed strictly and never through DNS. */
public final class InetText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private InetText() {
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 literal to 4 or 16 bytes.
     *
     * @throws ValidationException naming {@code field} when the text is no address literal
     */
    public static byte[] parse(String field, String text) {
        String t = text.trim();
        if (t.indexOf(':') >= 0) {
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    throw ValidationException.of(field, text, "an IPv4 or IPv6 address");
                }
            }
            try {
                // A literal containing ':' is parsed, never resolved.
                return InetAddress.getByName(t).getAddress();
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw ValidationException.of(field, text, "an IPv4 or IPv6 address");
            }
        }
        return parseV4(field, t);
    }

    private static byte[] parseV4(String field, String t) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            throw ValidationException.of(field, t, "an IPv4 or IPv6 address");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw ValidationException.of(field, t, "an IPv4 or IPv6 address");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw ValidationException.of(field, t, "an IPv4 or IPv6 address");
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** An IPv4 address as an unsigned 32-bit number. */
    public static long parseV4Number(String field, String text) {
        byte[] b = parseV4(field, text.trim());
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    /** 4 or 16 bytes to text; IPv6 in the JDK's full form. */
    public static String format(byte[] addr) {
        if (addr.length == 16) {
            return formatV6(addr);
        }
        try {
            return InetAddress.getByAddress(addr).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + addr.length + " bytes", e);
        }
    }

    /**
     * An IPv6 address in RFC 5952's canonical text: lower-case hex, no leading zeros, the longest run of two or
     * more zero groups (the first of equal runs) as {@code ::}. Java's own text never compresses.
     */
    static String formatV6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xFF) << 8 | a[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }

    /** An unsigned 32-bit number as a dotted quad. */
    public static String formatV4(long v) {
        return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }

    /** Lower-case hex without separators. */
    public static String hex(byte[] bytes) {
        char[] c = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            c[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            c[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(c);
    }

    /**
     * Hex text (optionally {@code 0x}-prefixed, spaces and colons ignored) to bytes.
     *
     * @throws ValidationException naming {@code field} when the text is not an even number of hex digits
     */
    public static byte[] unhex(String field, String text) {
        String t = text.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        t = t.replace(" ", "").replace(":", "");
        if (t.length() % 2 != 0) {
            throw ValidationException.of(field, text, "an even number of hex digits");
        }
        byte[] b = new byte[t.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(t.charAt(2 * i), 16);
            int lo = Character.digit(t.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw ValidationException.of(field, text, "an even number of hex digits");
            }
            b[i] = (byte) ((hi << 4) | lo);
        }
        return b;
    }
}
