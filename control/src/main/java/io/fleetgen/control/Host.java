package io.fleetgen.control;

import java.util.Objects;

/** An agent, by its host id (the seed's {@code Host}). Immutable. */
public final class Host {
    private final String id;

    public Host(String id) {
        this.id = Objects.requireNonNull(id, "id");
    }

    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Host && ((Host) o).id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
