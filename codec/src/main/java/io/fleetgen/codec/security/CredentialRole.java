package io.fleetgen.codec.security;

/**
 * What a fleet credential may do, written in its certificate's subject as {@code OU=fleetgen-agent} or
 * {@code OU=fleetgen-control} by {@code deploy/tls.sh}. Only a control may command an agent (SPEC §9).
 */
public enum CredentialRole {
    AGENT("fleetgen-agent"),
    CONTROL("fleetgen-control");

    private final String unit;

    CredentialRole(String unit) {
        this.unit = unit;
    }

    /** The organisational unit that carries this role in a certificate subject. */
    public String unit() {
        return unit;
    }

    /** The role an organisational unit names, or {@code null}. */
    public static CredentialRole ofUnit(String ou) {
        for (CredentialRole r : values()) {
            if (r.unit.equals(ou)) {
                return r;
            }
        }
        return null;
    }
}
