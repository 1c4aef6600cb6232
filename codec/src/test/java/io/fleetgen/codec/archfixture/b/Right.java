package io.fleetgen.codec.archfixture.b;

import io.fleetgen.codec.archfixture.a.Left;

/** The other half of the deliberate package cycle. */
public final class Right {
    public Left left() {
        return new Left();
    }
}
