package io.fleetgen.codec.archfixture.a;

import io.fleetgen.codec.archfixture.b.Right;

/** Half of a deliberate package cycle, for the architecture rules' self-check; not product code. */
public final class Left {
    public Right right() {
        return new Right();
    }
}
