package io.fleetgen.codec;

/** The rule for run names: they appear in thread names, REPL completion and JSON. */
final class RunNames {
    private static final int MAX = 64;

    private RunNames() {
    }

    static void check(String name) {
        if (name.isEmpty() || name.length() > MAX || !name.chars().allMatch(RunNames::allowed)) {
            throw ValidationException.of("name", "\"" + name + "\"", "1-64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    private static boolean allowed(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                || c == '-';
    }
}
